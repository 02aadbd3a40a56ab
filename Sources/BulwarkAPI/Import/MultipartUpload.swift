import Foundation
import Vapor

/// A multipart/form-data body read as a stream: text fields in memory, the `file` part written
/// to a temporary file as it arrives, so memory stays flat for 100 MB reports.
struct MultipartUpload {
    var fields: [String: [String]] = [:]
    var fileURL: URL?
    var fileName: String?
    var fileSize = 0

    /// Deletes the temporary report file.
    func cleanUp() {
        if let fileURL { try? FileManager.default.removeItem(at: fileURL) }
    }

    /// Reads the request body; 415 for other content types, 400 for malformed multipart or a file over `maxBytes`.
    static func read(_ request: Request, maxBytes: Int) async throws -> MultipartUpload {
        guard let type = request.headers.contentType, type.type == "multipart", type.subType == "form-data" else {
            throw APIError.unsupportedMediaType(request.headers.contentType?.serialize() ?? "")
        }
        guard let boundary = type.parameters["boundary"], !boundary.isEmpty else {
            throw APIError.message(.badRequest, "Multipart form parse error - Invalid boundary in multipart: None")
        }
        let state = State(maxBytes: maxBytes, fileField: "file")
        let parser = state.parser(boundary: boundary)
        do {
            for try await chunk in request.body {
                try parser.feed(chunk.readableBytesView)
                if let problem = state.problem { throw problem }
            }
            try parser.finish()
        } catch let error as APIError {
            state.upload.cleanUp()
            throw error
        } catch {
            state.upload.cleanUp()
            throw APIError.message(.badRequest, "Multipart form parse error - \(error)")
        }
        if let problem = state.problem { state.upload.cleanUp(); throw problem }
        return state.upload
    }

    /// Parser callbacks run synchronously on the reading task; this holds their state.
    final class State {
        let maxBytes: Int
        /// The part streamed to a temporary file; nil keeps every part as a text field.
        let fileField: String?
        var upload = MultipartUpload()
        var name: String?
        var filename: String?
        var text: [UInt8] = []
        var handle: FileHandle?
        var problem: APIError?

        init(maxBytes: Int, fileField: String?) {
            self.maxBytes = maxBytes
            self.fileField = fileField
        }

        /// A parser feeding this state.
        func parser(boundary: String) -> MultipartStreamParser {
            let parser = MultipartStreamParser(boundary: boundary)
            parser.onHeaders = { [unowned self] headers in self.headers(HTTPHeaders(headers.map { ($0.name, $0.value) })) }
            parser.onBody = { [unowned self] bytes in self.body(bytes) }
            parser.onPartComplete = { [unowned self] in self.complete() }
            return parser
        }

        func headers(_ headers: HTTPHeaders) {
            guard let disposition = headers.contentDisposition else { return }
            name = disposition.name
            filename = disposition.filename
            if let fileField, name == fileField {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-upload-\(UUID().uuidString)")
                FileManager.default.createFile(atPath: url.path, contents: nil)
                handle = try? FileHandle(forWritingTo: url)
                if handle == nil { problem = APIError.internalError }
                upload.cleanUp()
                upload.fileURL = url
                upload.fileName = filename
                upload.fileSize = 0
            }
        }

        func body(_ bytes: ArraySlice<UInt8>) {
            guard problem == nil else { return }
            if let handle {
                upload.fileSize += bytes.count
                if upload.fileSize > maxBytes {
                    problem = APIError.field("file", "Report file is too large. Maximum supported size is \(maxBytes / 1_048_576) MB")
                    return
                }
                // The throwing write: on Linux the older `write(_: Data)` traps on a full disk or an I/O error.
                do { try handle.write(contentsOf: bytes) } catch { problem = APIError.internalError }
            } else if text.count < 1_048_576 {
                text += bytes
            }
        }

        func complete() {
            if let handle {
                try? handle.close()
                self.handle = nil
            } else if let name {
                upload.fields[name, default: []].append(String(decoding: text, as: UTF8.self))
            }
            name = nil
            filename = nil
            text = []
        }
    }
}
