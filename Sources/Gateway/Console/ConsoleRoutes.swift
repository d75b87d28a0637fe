import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The web console (SPEC §3): `GET /` (the chat page), `GET /runs/{id}` (a run's timeline; `GET /runs/` lists the
/// caller's runs) and their files under `GET /console/{file}`.
///
/// The pages are static — always 200, the same bytes for everyone: what a caller may see comes only from the
/// `/api` routes and `/ws`, with the token the page holds. Every answer carries ``ConsoleHeaders``; a request
/// whose `If-None-Match` names the file's tag gets 304.
struct ConsoleRoutes: Sendable {
    let assets: ConsoleAssets

    /// Registers the console's routes on `router`.
    func register<Context: RequestContext>(on router: Router<Context>) {
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/", method: method) { request, _ in try serve("index.html", for: request) }
            router.on("runs", method: method) { request, _ in try serve("run.html", for: request) }
            router.on("runs/:id", method: method) { request, _ in try serve("run.html", for: request) }
            router.on("console/:file", method: method) { request, context in
                try serve(try context.parameters.require("file"), for: request)
            }
        }
    }

    /// The answer for one of the console's files.
    /// - Throws: `HTTPError` 404 for a file the console does not have (503, not thrown, when it has none at all).
    func serve(_ name: String, for request: Request) throws -> Response {
        guard let asset = assets.files[name] else {
            guard assets.files.isEmpty else { throw HTTPError(.notFound) }
            return Response(
                status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "The web console's files are not installed.\n")))
        }
        let host = request.head.authority
        let headers = ConsoleHeaders.fields(contentType: asset.contentType, etag: asset.etag, host: host)
        let tags = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if tags.contains(asset.etag) || tags.contains("*") {
            return Response(status: .notModified, headers: headers)
        }
        guard request.method != .head else {
            var headers = headers
            headers[.contentLength] = String(asset.body.readableBytes)
            return Response(status: .ok, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.body))
    }
}
