import Foundation
import Vapor

/// A multipart form from the browser, read as a stream: text fields in memory (1 MB each at most),
/// the `file` part written to a temporary file as it arrives, so a 100 MB report keeps memory flat.
///
/// Uses MultipartKit's callback parser (shipped with Vapor); the API has its own reader, and both
/// can share one once the HTTP layer is split out.
struct WebUpload {
    var fields = FormData()
    var fileURL: URL?
    var fileName: String?
    var fileSize = 0

    /// Why an upload was refused, in words for the form.
    struct Refused: Error, Equatable {
        var message: String
    }

    /// Deletes the temporary report file.
    func cleanUp() {
        if let fileURL { try? FileManager.default.removeItem(at: fileURL) }
    }

    /// Reads a `multipart/form-data` request body.
    static func read(_ request: Request, maxBytes: Int) async throws -> WebUpload {
        guard let type = request.headers.contentType, type.type == "multipart", type.subType == "form-data",
              let boundary = type.parameters["boundary"], !boundary.isEmpty
        else { throw Refused(message: "The form must be sent as multipart/form-data.") }
        let state = State(maxBytes: maxBytes)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(buffer.readBytes(length: buffer.readableBytes) ?? []) }
        parser.onPartComplete = { state.complete() }
        do {
            for try await chunk in request.body {
                try parser.execute(chunk)
                if let problem = state.problem { throw problem }
            }
        } catch let refused as Refused {
            state.upload.cleanUp()
            throw refused
        } catch {
            state.upload.cleanUp()
            throw Refused(message: "The upload could not be read: \(error)")
        }
        if let problem = state.problem { state.upload.cleanUp(); throw problem }
        return state.upload
    }

    /// Parser callbacks run synchronously on the reading task; this holds their state.
    final class State {
        let maxBytes: Int
        var upload = WebUpload()
        var name: String?
        var filename: String?
        var text: [UInt8] = []
        var handle: FileHandle?
        var problem: Refused?

        init(maxBytes: Int) { self.maxBytes = maxBytes }

        func header(_ field: String, _ value: String) {
            guard field.lowercased() == "content-disposition" else { return }
            var headers = HTTPHeaders()
            headers.add(name: .contentDisposition, value: value)
            name = headers.contentDisposition?.name
            filename = headers.contentDisposition?.filename
            if name == "file", let filename, !filename.isEmpty {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-web-upload-\(UUID().uuidString)")
                FileManager.default.createFile(atPath: url.path, contents: nil)
                handle = try? FileHandle(forWritingTo: url)
                if handle == nil { problem = Refused(message: "The server could not store the upload.") }
                upload.cleanUp()
                upload.fileURL = url
                upload.fileName = filename
                upload.fileSize = 0
            }
        }

        func body(_ bytes: [UInt8]) {
            guard problem == nil else { return }
            if let handle {
                upload.fileSize += bytes.count
                if upload.fileSize > maxBytes {
                    problem = Refused(message: "Report file is too large. Maximum supported size is \(maxBytes / 1_048_576) MB")
                    return
                }
                do { try handle.write(contentsOf: bytes) } catch { problem = Refused(message: "The server could not store the upload.") }
            } else if text.count + bytes.count <= 1_048_576 {
                text += bytes
            }
        }

        func complete() {
            if let handle {
                try? handle.close()
                self.handle = nil
            } else if let name {
                upload.fields.pairs.append((name, String(decoding: text, as: UTF8.self)))
            }
            name = nil
            filename = nil
            text = []
        }
    }
}
