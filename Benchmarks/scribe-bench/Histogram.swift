/// RocksDB's latency histogram (`HistogramStat`): buckets bounded by 1, 2, then
/// ×1.5 steps rounded to two significant digits (3, 4, 6, 10, 15, 22, 34, …),
/// percentiles interpolated linearly inside a bucket, and the same text layout,
/// so both tools' histograms read alike. ~110 buckets; `add` is a binary search.
struct Histogram {
    /// Upper bounds of the buckets, ascending; the last is `UInt64.max`.
    static let bucketLimits: [UInt64] = {
        var limits: [UInt64] = [1, 2]
        var value = 2.0
        while true {
            value *= 1.5
            guard value <= Double(UInt64.max) else { break }
            var rounded = UInt64(value)
            var scale: UInt64 = 1
            while rounded / 10 > 10 {
                rounded /= 10
                scale *= 10
            }
            limits.append(rounded * scale)
        }
        return limits
    }()

    private var buckets = [UInt64](repeating: 0, count: Histogram.bucketLimits.count)
    private(set) var count: UInt64 = 0
    private(set) var min: UInt64 = .max
    private(set) var max: UInt64 = 0
    private var sum: Double = 0
    private var sumOfSquares: Double = 0

    /// The index of the first bucket whose limit is ≥ `value`.
    private static func bucketIndex(_ value: UInt64) -> Int {
        let limits = bucketLimits
        if value >= limits[limits.count - 1] { return limits.count - 1 }
        var low = 0
        var high = limits.count - 1
        while low < high {
            let mid = (low + high) / 2
            if limits[mid] >= value { high = mid } else { low = mid + 1 }
        }
        return low
    }

    mutating func add(_ micros: UInt64) {
        buckets[Self.bucketIndex(micros)] += 1
        count += 1
        min = Swift.min(min, micros)
        max = Swift.max(max, micros)
        sum += Double(micros)
        sumOfSquares += Double(micros) * Double(micros)
    }

    mutating func merge(_ other: Histogram) {
        for i in buckets.indices { buckets[i] += other.buckets[i] }
        count += other.count
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }

    var average: Double { count == 0 ? 0 : sum / Double(count) }

    var standardDeviation: Double {
        guard count > 0 else { return 0 }
        let n = Double(count)
        return ((sumOfSquares * n - sum * sum) / (n * n)).squareRoot()
    }

    /// The `p`th percentile (0–100), interpolated within its bucket and
    /// clamped to the observed min and max.
    func percentile(_ p: Double) -> Double {
        let threshold = Double(count) * p / 100
        var cumulative: UInt64 = 0
        for (index, bucket) in buckets.enumerated() {
            cumulative += bucket
            if Double(cumulative) >= threshold {
                let left = index == 0 ? 0 : Double(Self.bucketLimits[index - 1])
                let right = Double(Self.bucketLimits[index])
                let leftSum = Double(cumulative - bucket)
                let position = bucket == 0 ? 0 : (threshold - leftSum) / Double(bucket)
                var result = left + (right - left) * position
                if result < Double(min) { result = Double(min) }
                if result > Double(max) { result = Double(max) }
                return result
            }
        }
        return Double(max)
    }

    /// The text RocksDB prints: count, average, standard deviation, min,
    /// median, max, P50/P75/P99/P99.9/P99.99, then one line per non-empty bucket.
    func render() -> String {
        var text = Console.format("Count: %llu Average: %.4f  StdDev: %.2f\n", count, average, standardDeviation)
        text += Console.format("Min: %llu  Median: %.4f  Max: %llu\n", count == 0 ? 0 : min, percentile(50), count == 0 ? 0 : max)
        text += Console.format(
            "Percentiles: P50: %.2f P75: %.2f P99: %.2f P99.9: %.2f P99.99: %.2f\n",
            percentile(50), percentile(75), percentile(99), percentile(99.9), percentile(99.99))
        text += "------------------------------------------------------\n"
        guard count > 0 else { return text }
        let scale = 100.0 / Double(count)
        var cumulative: UInt64 = 0
        for (index, bucket) in buckets.enumerated() where bucket > 0 {
            cumulative += bucket
            let left: UInt64 = index == 0 ? 0 : Self.bucketLimits[index - 1]
            text += index == 0 ? "[" : "("
            text += Console.format(
                " %7llu, %7llu ] %8llu %7.3f%% %7.3f%% ", left, Self.bucketLimits[index], bucket,
                scale * Double(bucket), scale * Double(cumulative))
            text += String(repeating: "#", count: Int(scale * Double(bucket) / 5 + 0.5))
            text += "\n"
        }
        return text
    }
}
