import Hummingbird
import Logging

/// Turns every error a route throws into an ``ErrorResponse`` through ``GatewayError/from(_:)``.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ErrorResponse {
            throw error
        } catch {
            let mapped = GatewayError.from(error)
            if mapped.code == .internal || mapped.code == .journalUnavailable {
                context.logger.error(
                    "request failed",
                    metadata: ["http.path": "\(request.uri.path)", "error": "\(String(describing: error))"])
            }
            throw ErrorResponse(error: mapped)
        }
    }
}
