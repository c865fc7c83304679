/// What one thread measured during one benchmark, kept like db_bench's
/// `Stats`: operations, bytes, its own elapsed time, a message, and (with
/// `--histogram`) one latency histogram per operation type. Owned by its
/// thread until the thread is joined.
struct BenchStats {
    /// The operation types db_bench labels histograms with.
    enum Operation: String {
        case read, write, delete, seek
        /// db_bench's `kOthers` (sequential scans).
        case op
    }

    private let recordLatency: Bool
    private let reportsProgress: Bool
    private(set) var start: UInt64 = 0
    private(set) var finish: UInt64 = 0
    private(set) var seconds: Double = 0
    private(set) var done: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    private(set) var message = ""
    private(set) var histograms: [(Operation, Histogram)] = []
    /// Readers-while-writing exclude the writer thread from the merged figures.
    var excludedFromMerge = false
    private var lastOpFinish: UInt64 = 0
    private var nextReport: UInt64 = 100

    init(recordLatency: Bool, reportsProgress: Bool = true) {
        self.recordLatency = recordLatency
        self.reportsProgress = reportsProgress
    }

    mutating func begin() {
        start = BenchClock.nowMicros()
        finish = start
        lastOpFinish = start
    }

    mutating func end() {
        finish = BenchClock.nowMicros()
        seconds = Double(finish - start) * 1e-6
    }

    /// Counts `count` finished operations of `kind`; with `--histogram`,
    /// records the time since the previous one. Prints db_bench's progress
    /// line to stderr at 100, 200, …, 1000, 1500, … operations.
    mutating func finished(_ count: UInt64 = 1, _ kind: Operation) {
        if recordLatency {
            let now = BenchClock.nowMicros()
            let micros = now &- lastOpFinish
            if let index = histograms.firstIndex(where: { $0.0 == kind }) {
                histograms[index].1.add(micros)
            } else {
                var histogram = Histogram()
                histogram.add(micros)
                histograms.append((kind, histogram))
            }
            lastOpFinish = now
        }
        done += count
        if done >= nextReport, reportsProgress {
            switch nextReport {
            case ..<1000: nextReport += 100
            case ..<5000: nextReport += 500
            case ..<10000: nextReport += 1000
            case ..<50000: nextReport += 5000
            case ..<100_000: nextReport += 10000
            case ..<500_000: nextReport += 50000
            default: nextReport += 100_000
            }
            Console.err("... finished \(done) ops" + String(repeating: " ", count: 30) + "\r")
        }
    }

    mutating func addBytes(_ count: UInt64) { bytes += count }

    /// Appends `text` to the message, space-separated (db_bench's `AppendWithSpace`).
    mutating func addMessage(_ text: String) {
        guard !text.isEmpty else { return }
        message = message.isEmpty ? text : message + " " + text
    }

    /// Adds another thread's figures: sums of operations, bytes and thread
    /// seconds, the earliest start and latest finish, merged histograms, and
    /// the first non-empty message (db_bench keeps one thread's message).
    mutating func merge(_ other: BenchStats) {
        guard !other.excludedFromMerge else { return }
        for (kind, histogram) in other.histograms {
            if let index = histograms.firstIndex(where: { $0.0 == kind }) {
                histograms[index].1.merge(histogram)
            } else {
                histograms.append((kind, histogram))
            }
        }
        done += other.done
        bytes += other.bytes
        seconds += other.seconds
        start = start == 0 ? other.start : min(start, other.start)
        finish = max(finish, other.finish)
        if message.isEmpty { message = other.message }
    }

    /// The result line in db_bench's exact format —
    /// `%-12s : %11.3f micros/op %ld ops/sec %.3f seconds %lu operations;%s%s` —
    /// where micros/op is the summed thread time per operation, ops/sec is
    /// operations over the wall time from the first start to the last finish,
    /// and the tail is `%6.1f MB/s` (when bytes moved) and the message. With
    /// `--histogram`, each histogram follows under "Microseconds per <op>:".
    func report(name: String) -> String {
        let operations = max(done, 1)
        let elapsed = Double(finish - start) * 1e-6
        var extra = ""
        if bytes > 0 {
            extra = Console.format("%6.1f MB/s", Double(bytes) / 1_048_576 / elapsed)
        }
        if !message.isEmpty {
            extra = extra.isEmpty ? message : extra + " " + message
        }
        let throughput = Double(operations) / elapsed
        var text = Console.padRight(name, 12) + " : "
        text += Console.format(
            "%11.3f micros/op %ld ops/sec %.3f seconds %llu operations;", seconds * 1e6 / Double(operations),
            throughput.isFinite ? Int(throughput) : Int.max, elapsed, operations)
        text += (extra.isEmpty ? "" : " ") + extra + "\n"
        if recordLatency {
            for (kind, histogram) in histograms {
                text += "Microseconds per \(kind.rawValue):\n" + histogram.render() + "\n"
            }
        }
        return text
    }
}
