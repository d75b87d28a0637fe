import AgentRuntime
import Foundation
import StandardPipeline
import Testing

@Suite("JSONValue parsing")
struct JSONValueParsingTests {
    @Test("parsing gives the same value as Decodable, booleans stay booleans and numbers numbers")
    func sameAsDecodable() throws {
        let texts = [
            #"{"a":true,"b":1,"c":0,"d":false,"e":1.5,"f":"x","g":null,"h":[true,1,"1",null,{"i":[]}],"j":{}}"#,
            #"[1,2,3]"#, #""text""#, "42", "-0.25", "true", "false", "null", #"{"nested":{"deeper":{"deepest":[0,false]}}}"#,
            #"{"unicode":"h\u00e9llo \ud83d\ude00","escaped":"a\"b\\c\nd"}"#, "1e300", "12345678901234567",
        ]
        for text in texts {
            let parsed = try JSONValue(parsing: text)
            let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            #expect(parsed == decoded, "\(text)")
        }
        let value = try JSONValue(parsing: #"{"t":true,"one":1,"zero":0,"f":false}"#)
        #expect(value["t"] == .bool(true))
        #expect(value["one"] == .number(1))
        #expect(value["zero"] == .number(0))
        #expect(value["f"] == .bool(false))
    }

    @Test(
        "what JSONDecoder refuses, parsing refuses",
        arguments: ["", "{", "[1 2]", "{\"a\":}", "tru", "1e400", "{'a':1}", "[1] x", "NaN", "01", "\"\\x\"", "[1]//"])
    func invalid(text: String) {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
        #expect(throws: (any Error).self) { try JSONValue(parsing: text) }
    }
}
