import AgentRuntime
import HTTPTypes
import Hummingbird
import Journal

extension GatewayError {
    /// The one place that maps any error to the protocol: agent, journal, auth and HTTP errors become a
    /// `GatewayError` with a protocol code; anything unknown becomes `INTERNAL` without its details.
    public static func from(_ error: any Error) -> GatewayError {
        switch error {
        case let error as GatewayError:
            return error
        case let error as JournalError:
            return from(journal: error)
        case let error as AgentsError:
            return from(agents: error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return GatewayError(code: .notFound, message: "not found")
            case .unauthorized: return GatewayError(code: .authFailed, message: "a valid bearer token is required")
            case .contentTooLarge: return GatewayError(code: .invalidRequest, message: "the body is too large")
            case .methodNotAllowed: return GatewayError(code: .invalidRequest, message: "method not allowed")
            case .badRequest: return GatewayError(code: .invalidRequest, message: "the request is not valid")
            default: return GatewayError(code: .internal, message: "internal error")
            }
        case is DecodingError:
            return GatewayError(code: .invalidRequest, message: "the body is not the JSON expected")
        default:
            return GatewayError(code: .internal, message: "internal error", cause: nil)
        }
    }

    private static func from(agents error: AgentsError) -> GatewayError {
        switch error.code {
        case .threadNotFound: return GatewayError(code: .threadNotFound, message: error.message, cause: error)
        case .runNotFound: return GatewayError(code: .runNotFound, message: error.message, cause: error)
        case .runAlreadyEnded: return GatewayError(code: .runAlreadyEnded, message: error.message, cause: error)
        case .tooManyRuns: return GatewayError(code: .tooManyRuns, message: error.message, cause: error)
        case .invalidMessage: return GatewayError(code: .emptyMessage, message: error.message, cause: error)
        case .journalUnavailable:
            return GatewayError(code: .journalUnavailable, message: "the journal is not writable", cause: error)
        case .shuttingDown:
            return GatewayError(code: .internal, message: "the server is shutting down", cause: error)
        default:
            return GatewayError(code: .internal, message: "internal error", cause: error)
        }
    }

    private static func from(journal error: JournalError) -> GatewayError {
        switch error.code {
        case .readOnly, .diskFull, .ioError, .busy, .closed, .cannotOpen, .notADatabase:
            return GatewayError(code: .journalUnavailable, message: "the journal is not writable", cause: error)
        default:
            return GatewayError(code: .internal, message: "internal error", cause: error)
        }
    }

    /// The HTTP status that answers this error.
    public var httpStatus: HTTPResponse.Status {
        switch code {
        case .authFailed, .authExpired, .invalidCredentials: .unauthorized
        case .invalidJSON, .invalidField, .emptyMessage, .messageTooLarge, .invalidRequest, .unknownType: .badRequest
        case .usernameTaken, .runAlreadyEnded: .conflict
        case .notFound, .threadNotFound, .runNotFound: .notFound
        case .rateLimited, .tooManyRuns, .tooManyConnections: .tooManyRequests
        case .journalUnavailable: .serviceUnavailable
        default: .internalServerError
        }
    }
}
