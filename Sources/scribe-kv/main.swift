print("scribe-kv")
