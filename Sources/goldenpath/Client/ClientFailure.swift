/// A request the server refused, as one line.
struct ClientFailure: Error, CustomStringConvertible {
    var status: Int
    var code: String?
    var description: String
}
