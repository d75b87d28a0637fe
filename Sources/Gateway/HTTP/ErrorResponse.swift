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
        return try EditedResponse(status: status, response: body).response(from: request, context: context)
    }
}
