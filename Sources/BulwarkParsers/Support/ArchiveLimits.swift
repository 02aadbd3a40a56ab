/// How much a zip report may hold before ``ArchiveReader`` refuses it.
///
/// The defaults are DefectDojo's (`DD_MAX_ZIP_MEMBERS`, `DD_MAX_ZIP_MEMBER_SIZE`,
/// `DD_MAX_ZIP_TOTAL_SIZE`, `DD_MAX_ZIP_RATIO`). They are checked twice: against the sizes the
/// central directory declares when the archive is opened, and against the bytes actually
/// inflated while an entry is read, so an archive whose headers lie is stopped as soon as it
/// passes a limit.
public struct ArchiveLimits: Sendable, Hashable {
    /// The most entries (files and folders) an archive may list.
    public var maxEntries: Int
    /// The most uncompressed bytes one entry may hold.
    public var maxEntrySize: UInt64
    /// The most uncompressed bytes all entries together may hold.
    public var maxTotalSize: UInt64
    /// The largest uncompressed / compressed ratio an entry may have.
    public var maxCompressionRatio: UInt64
    /// Entries smaller than this are not held to ``maxCompressionRatio`` (a few kilobytes of
    /// repeated text compress very well and are harmless).
    public var ratioExemptSize: UInt64

    /// Creates limits.
    public init(
        maxEntries: Int = 1000, maxEntrySize: UInt64 = 512 * 1024 * 1024, maxTotalSize: UInt64 = 1024 * 1024 * 1024,
        maxCompressionRatio: UInt64 = 100, ratioExemptSize: UInt64 = 1024 * 1024
    ) {
        self.maxEntries = maxEntries
        self.maxEntrySize = maxEntrySize
        self.maxTotalSize = maxTotalSize
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioExemptSize = ratioExemptSize
    }

    /// DefectDojo's defaults: 1,000 entries, 512 MiB per entry, 1 GiB in total, ratio 100:1.
    public static let standard = ArchiveLimits()

    /// Whether `uncompressed` bytes out of `compressed` bytes exceed the ratio limit.
    func exceedsRatio(uncompressed: UInt64, compressed: UInt64) -> Bool {
        guard uncompressed >= ratioExemptSize else { return false }
        guard compressed > 0 else { return true }
        let (allowed, overflow) = compressed.multipliedReportingOverflow(by: maxCompressionRatio)
        return !overflow && uncompressed > allowed
    }
}
