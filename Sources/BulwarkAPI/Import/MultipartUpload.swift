import BulwarkHTTP
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
        // Refuse at once what cannot fit: the client learns before sending 200 MB, and the
        // connection is closed instead of draining a body we will not read.
        if let declared = request.headers.first(name: .contentLength).flatMap(Int.init),
           declared > maxBytes + RequestLimits.multipartAllowanceBytes {
            throw tooLarge(maxBytes)
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
        } catch let error as HTTPLimitError {
            state.upload.cleanUp()
            throw error
        } catch {
            state.upload.cleanUp()
            // The client may still be sending: answer and close rather than read the rest.
            var failure = APIError.message(.badRequest, "Multipart form parse error - \(error)")
            failure.headers.append(("Connection", "close"))
            throw failure
        }
        if let problem = state.problem { state.upload.cleanUp(); throw problem }
        return state.upload
    }

    /// 413 for an upload over the limit, closing the connection.
    static func tooLarge(_ maxBytes: Int) -> HTTPLimitError {
        HTTPLimitError(
            status: .payloadTooLarge, field: "file",
            message: "Report file is too large. Maximum supported size is \(maxBytes / 1_048_576) MB", closeConnection: true)
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
        var problem: (any Error)?
        var parts = 0
        var textBytes = 0

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
            parts += 1
            if parts > RequestLimits.maxMultipartParts, problem == nil {
                problem = HTTPLimitError(
                    status: .badRequest, field: nil,
                    message: "Multipart form parse error - more than \(RequestLimits.maxMultipartParts) parts", closeConnection: true)
            }
            guard let disposition = headers.contentDisposition else { return }
            name = disposition.name
            filename = disposition.filename
            if let fileField, name == fileField {
                let url = UploadFiles.newURL()
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
                    problem = MultipartUpload.tooLarge(maxBytes)
                    return
                }
                // The throwing write: on Linux the older `write(_: Data)` traps on a full disk or an I/O error.
                do { try handle.write(contentsOf: bytes) } catch { problem = APIError.internalError }
            } else {
                textBytes += bytes.count
                if text.count + bytes.count > RequestLimits.maxMultipartTextFieldBytes {
                    problem = HTTPLimitError(
                        status: .payloadTooLarge, field: String((name ?? "(unnamed)").prefix(100)),
                        message: "Ensure this field has at most \(RequestLimits.maxMultipartTextFieldBytes) bytes.", closeConnection: true)
                } else if textBytes > RequestLimits.maxMultipartTextBytes {
                    problem = HTTPLimitError(
                        status: .payloadTooLarge, field: nil,
                        message: "The form's text fields exceed \(RequestLimits.maxMultipartTextBytes / 1_048_576) MB in total.", closeConnection: true)
                } else {
                    text += bytes
                }
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
