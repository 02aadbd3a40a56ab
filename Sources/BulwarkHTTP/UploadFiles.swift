import Foundation

/// Where streamed uploads wait while their request runs, and the sweep of files left behind by a
/// process that was killed mid-request.
///
/// Files are named `bulwark-upload-<pid>-<uuid>`: the sweep at start removes those whose process is
/// gone, so several Bulwark processes on one machine never delete each other's live uploads.
public enum UploadFiles {
    static let prefix = "bulwark-upload-"

    /// A new, unique path for one upload of this process.
    public static func newURL(in directory: URL = FileManager.default.temporaryDirectory) -> URL {
        directory.appendingPathComponent("\(prefix)\(getpid())-\(UUID().uuidString)")
    }

    /// Removes uploads whose process no longer runs; returns how many files were removed.
    @discardableResult
    public static func sweepOrphans(in directory: URL = FileManager.default.temporaryDirectory) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            // Files from releases before the pid was part of the name have no live owner to protect.
            if let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), processIsAlive(pid) { continue }
            if (try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))) != nil { removed += 1 }
        }
        return removed
    }

    private static func processIsAlive(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
