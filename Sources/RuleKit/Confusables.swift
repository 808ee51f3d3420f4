/// Look-alike characters mapped to ASCII for the `confusables` normalisation layer.
///
/// Source: a curated subset of Unicode UTS #39 `confusables.txt` (Unicode 15.1), restricted to entries whose
/// prototype is an ASCII letter or digit and which are used to dodge word filters (Cyrillic, Greek, Armenian,
/// Cherokee and Latin look-alikes, small capitals), plus whole blocks handled arithmetically: mathematical
/// alphanumerics (U+1D400–1D7FF), fullwidth forms (U+FF01–FF5E), circled / parenthesised / squared letters and
/// regional indicators. Letters with diacritics lose their combining marks (`ráṕé` → `rape`).
enum Confusables {
    static let table: [UInt32: Character] = {
        var t: [UInt32: Character] = [:]
        func add(_ pairs: String, _ target: Character) { for s in pairs.unicodeScalars { t[s.value] = target } }
        // Cyrillic
        add("аꬱ", "a"); add("А", "A"); add("ВвʙБ", "B"); add("ьЬƅ", "b"); add("сϲⅽ", "c"); add("СϹⅭ", "C")
        add("ԁⅾ", "d"); add("ⅮᎠ", "D"); add("еёҽ", "e"); add("ЕЁ", "E"); add("һ", "h"); add("НнʜҺ", "H")
        add("іїıɩͺιℹⅰ", "i"); add("ІЇⅠӀ", "I"); add("ј", "j"); add("ЈͿ", "J"); add("кĸκ", "k"); add("КΚK", "K")
        add("ӏℓǀⅼ", "l"); add("Ⅼ", "L"); add("мϻ", "m"); add("МΜⅯ", "M"); add("пη", "n"); add("ΝИ", "N")
        add("оοσօ", "o"); add("ОΟՕ", "O"); add("рρϱ", "p"); add("РΡ", "P"); add("ԛ", "q"); add("Ԛ", "Q")
        add("гᴦ", "r"); add("ѕ", "s"); add("ЅՏ", "S"); add("тτ", "t"); add("ТΤ", "T"); add("υսʋ", "u")
        add("ν∨ѵ", "v"); add("Ѵ", "V"); add("ԝѡω", "w"); add("ԜᎳ", "W"); add("хχ", "x"); add("ХΧ", "X")
        add("уγўү", "y"); add("УҮΥ", "Y"); add("ΖᏃ", "Z"); add("ΑᎪ", "A"); add("ΒᏴ", "B"); add("ΕᎬ", "E")
        add("ΗᎻ", "H"); add("ΙᏆ", "I"); add("ϳ", "j"); add("ᏦΚ", "K"); add("ᏞⅬ", "L"); add("ᎷΜ", "M")
        add("ᏢΡ", "P"); add("ᏚЅ", "S"); add("ᎢΤ", "T"); add("ᏙⅤ", "V"); add("ᎩΥ", "Y")
        // Latin look-alikes and small capitals
        add("ɑα", "a"); add("ᴀ", "a"); add("ᴄ", "c"); add("ᴅ", "d"); add("ᴇ", "e"); add("ꜰ", "f"); add("ɡɢ", "g")
        add("ᴊ", "j"); add("ᴋ", "k"); add("ʟ", "l"); add("ᴍ", "m"); add("ɴ", "n"); add("ᴏ", "o"); add("ᴘ", "p")
        add("ʀ", "r"); add("ꜱ", "s"); add("ᴛ", "t"); add("ᴜ", "u"); add("ᴠ", "v"); add("ᴡ", "w"); add("ʏ", "y")
        add("ᴢ", "z"); add("ɪ", "i"); add("ł", "l"); add("đ", "d"); add("ħ", "h"); add("ø", "o"); add("Ø", "O")
        add("ŀ", "l"); add("ƚ", "l"); add("ɓ", "b"); add("ƈ", "c"); add("ɗ", "d"); add("ƒ", "f"); add("ɠ", "g")
        add("ɦ", "h"); add("ƙ", "k"); add("ɱ", "m"); add("ɲ", "n"); add("ƥ", "p"); add("ʠ", "q"); add("ʂ", "s")
        add("ƭ", "t"); add("ʋ", "v"); add("ⱳ", "w"); add("ƴ", "y"); add("ȥ", "z")
        // Digits look-alikes
        add("০߀", "0"); add("߁", "1"); add("Ʒ", "3")
        return t
    }()

    /// ASCII replacement for a scalar, or nil when it has none.
    static func map(_ s: Unicode.Scalar) -> Character? {
        let v = s.value
        if v < 0x80 { return nil }
        if let c = table[v] { return c }
        switch v {
        case 0xFF01...0xFF5E: return Character(Unicode.Scalar(v - 0xFEE0)!)        // fullwidth
        case 0x1D400...0x1D6A3:                                                    // math letters, 52 per style
            let i = Int((v - 0x1D400) % 52)
            return Character(Unicode.Scalar(UInt8(i < 26 ? 65 + i : 97 + i - 26)))
        case 0x1D7CE...0x1D7FF: return Character(Unicode.Scalar(UInt8(48 + Int((v - 0x1D7CE) % 10))))   // math digits
        case 0x24B6...0x24CF: return Character(Unicode.Scalar(v - 0x24B6 + 65)!)  // Ⓐ
        case 0x24D0...0x24E9: return Character(Unicode.Scalar(v - 0x24D0 + 97)!)  // ⓐ
        case 0x249C...0x24B5: return Character(Unicode.Scalar(v - 0x249C + 97)!)  // ⒜
        case 0x1F130...0x1F149: return Character(Unicode.Scalar(v - 0x1F130 + 65)!)  // 🄰
        case 0x1F150...0x1F169: return Character(Unicode.Scalar(v - 0x1F150 + 65)!)  // 🅐
        case 0x1F170...0x1F189: return Character(Unicode.Scalar(v - 0x1F170 + 65)!)  // 🅰
        case 0x1F1E6...0x1F1FF: return Character(Unicode.Scalar(v - 0x1F1E6 + 97)!)  // regional indicators
        default: return nil
        }
    }

    /// Number of explicit table entries (documented as the curated subset's size).
    static var count: Int { table.count }
}
