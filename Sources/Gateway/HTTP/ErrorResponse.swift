import HTTPTypes
import Hummingbird

/// A `GatewayError` as an HTTP answer: `{"error": {"code", "message"}}` with the status of its code.
struct ErrorResponse: HTTPResponseError {
    /// The JSON body.
    struct Body: ResponseEncodable {
        struct Detail: Codable {
            var code: String
            var message: String
        }

        var error: Detail
    }

    let error: GatewayError

    var status: HTTPResponse.Status { error.httpStatus }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: .init(code: error.code.rawValue, message: error.message))
        var headers = HTTPFields()
        if let retryAfter = error.retryAfter {
            let (seconds, attoseconds) = retryAfter.components
            headers[.retryAfter] = "\(max(1, seconds + (attoseconds > 0 ? 1 : 0)))"
        }
        return try EditedResponse(status: status, headers: headers, response: body)
            .response(from: request, context: context)
    }
}
