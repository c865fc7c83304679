/// A request time in the two forms Signature Version 4 uses: `x-amz-date`
/// (`20130524T000000Z`, UTC) and the credential scope's date (`20130524`).
public struct AMZTimestamp: Sendable, Equatable {
    /// `YYYYMMDDTHHMMSSZ`.
    public let dateTime: String
    /// `YYYYMMDD`.
    public let date: String

    /// The UTC time `secondsSince1970` seconds after the Unix epoch (proleptic
    /// Gregorian calendar; negative values are clamped to the epoch).
    public init(secondsSince1970: Int64) {
        let seconds = max(secondsSince1970, 0)
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        let (year, month, day) = Self.civil(daysSince1970: days)
        date = Self.digits(year, 4) + Self.digits(month, 2) + Self.digits(day, 2)
        dateTime = date + "T" + Self.digits(secondOfDay / 3600, 2) + Self.digits(secondOfDay / 60 % 60, 2)
            + Self.digits(secondOfDay % 60, 2) + "Z"
    }

    /// Year, month and day of a day count since 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`, for non-negative day counts).
    static func civil(daysSince1970: Int64) -> (Int64, Int64, Int64) {
        let z = daysSince1970 + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    private static func digits(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
