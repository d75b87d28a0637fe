import Foundation
import Hummingbird

/// The request context of the HTTP routes: JSON answers with sorted keys, so that equal answers are equal bytes
/// (a foreign id's 404 is byte-for-byte an unknown id's 404).
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
