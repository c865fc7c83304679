/// `scribe-kv --db DIR [--hex] COMMAND ...`: the store options may come before
/// the command name (as with RocksDB's ldb); they are moved after it, where
/// each command declares them.
let arguments = GlobalOptionOrder.commandFirst(Array(CommandLine.arguments.dropFirst()))
ScribeKV.main(arguments)
