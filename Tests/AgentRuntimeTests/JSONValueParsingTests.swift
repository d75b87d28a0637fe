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

    @Test("jsonText is byte for byte what JSONEncoder writes with sorted keys")
    func writtenLikeJSONEncoder() throws {
        let values: [JSONValue] = [
            ["B": 3, "_x": 5, "a": 4, "a10": 1, "a9": 2, "é": 6, "z": [1, 2.5, -0.0, true, false, nil]],
            [
                "numbers": [
                    0, -0.0, 1, -1, 3.0, 0.1, 1e-7, 2.5e15, 1e15, 999_999_999_999_999, 1e16, 1.2345678901234568e17,
                    1e20, -1e300, 5e-324, 123.456,
                ]
            ],
            ["text": "a\u{1}b\u{7f}\u{2028}/\"\\\n\r\t\u{8}\u{c}\u{1f} h\u{e9}llo \u{1F600}"],
            [], [:], "", "plain", 42, nil, true,
            ["deep": ["deeper": ["deepest": [["k": "v"], [], [:]]]]],
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for value in values {
            let expected = String(decoding: try encoder.encode(value), as: UTF8.self)
            #expect(value.jsonText == expected)
            #expect(try JSONValue(parsing: value.jsonText) == value)
        }
    }

    @Test(
        "invalid UTF-8, unpaired surrogates, control characters and deep nesting are refused with their offset",
        arguments: [
            ([UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")], 1),
            (Array(#""\ud83d""#.utf8), 7), (Array(#""\ude00x""#.utf8), 7), (Array("\"a\nb\"".utf8), 2),
            (Array(String(repeating: "[", count: JSONParsingError.maximumDepth + 1).utf8), JSONParsingError.maximumDepth),
        ])
    func refusedWithOffset(bytes: [UInt8], offset: Int) {
        #expect(throws: JSONParsingError.self) { try JSONValue(parsing: bytes) }
        do {
            _ = try JSONValue(parsing: bytes)
        } catch let error as JSONParsingError {
            #expect(error.offset == offset, "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("nesting up to the limit parses")
    func deepestAllowed() throws {
        let depth = JSONParsingError.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONValue(parsing: text)
        var levels = 1
        while case .array(let elements) = value, let first = elements.first {
            value = first
            levels += 1
        }
        #expect(levels == depth)
    }
}
