use super::*;

/// Our symbol as hex rows, in the reference's layout.
fn hex_rows(code: &QrCode) -> Vec<String> {
    (0..code.size())
        .map(|y| {
            let mut bits: Vec<bool> = (0..code.size()).map(|x| code.is_dark(x, y)).collect();
            while bits.len() % 4 != 0 {
                bits.push(false);
            }
            bits.chunks(4)
                .map(|c| {
                    let v = c.iter().fold(0u32, |a, &b| (a << 1) | u32::from(b));
                    char::from_digit(v, 16).unwrap_or('?')
                })
                .collect()
        })
        .collect()
}

#[test]
fn each_symbol_matches_the_reference_module_for_module() {
    for (text, mask, rows) in VECTORS {
        let code = QrCode::encode_with_mask(text.as_bytes(), Some(*mask)).unwrap();
        assert_eq!(code.size(), rows.len(), "size for {text:?}");
        assert_eq!(hex_rows(&code), *rows, "modules for {text:?}");
    }
}

#[test]
fn the_mask_is_chosen_as_the_reference_chooses_it() {
    // The second "hello" forces mask 5; the others are the reference's own choice.
    for (text, mask, _) in VECTORS.iter().filter(|(_, m, _)| *m != 5) {
        let code = QrCode::encode(text.as_bytes()).unwrap();
        assert_eq!(code.mask(), *mask, "mask for {text:?}");
    }
}

#[test]
fn the_smallest_version_that_holds_the_text_is_used() {
    // Byte capacities at level M: version 1 holds 14 bytes, 2 holds 26, 10 holds 213, 40 holds 2331.
    for (len, version) in [
        (0, 1),
        (14, 1),
        (15, 2),
        (26, 2),
        (27, 3),
        (213, 10),
        (214, 11),
        (2331, 40),
    ] {
        let code = QrCode::encode(&vec![b'a'; len]).unwrap();
        assert_eq!(code.version(), version, "{len} bytes");
        assert_eq!(code.size(), version * 4 + 17);
    }
    assert_eq!(QrCode::encode(&vec![b'a'; 2332]), Err(QrError::TooLong));
}

#[test]
fn finder_patterns_sit_in_three_corners_with_light_separators() {
    let code = QrCode::encode(b"https://example.com/videoid/handoff?t=abc").unwrap();
    let n = code.size();
    for (cx, cy) in [(3, 3), (n - 4, 3), (3, n - 4)] {
        assert!(code.is_dark(cx, cy), "finder centre");
        assert!(code.is_dark(cx - 3, cy - 3), "finder corner");
        assert!(!code.is_dark(cx - 2, cy), "finder ring");
    }
    assert!(!code.is_dark(7, 0) && !code.is_dark(0, 7), "separator");
    assert!(code.is_dark(8, n - 8), "the dark module");
    assert!(!code.is_dark(n, 0), "outside the symbol is light");
}

#[test]
fn the_svg_has_a_quiet_zone_and_draws_every_dark_module() {
    let code = QrCode::encode(b"hello").unwrap();
    let svg = code.to_svg(4);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 29 29\""));
    assert!(svg.contains("<rect width=\"29\" height=\"29\" fill=\"#fff\"/>"));
    // Every run "M{x},{y}h{w}…" covers dark modules only, and together they cover all of them.
    let mut covered = vec![false; 21 * 21];
    for run in code.path_data(4).split('M').filter(|r| !r.is_empty()) {
        let (xy, rest) = run.split_once('h').unwrap();
        let (x, y) = xy.split_once(',').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let w: usize = rest.split_once('v').unwrap().0.parse().unwrap();
        assert!(x >= 4 && y >= 4, "inside the quiet zone's border");
        for dx in 0..w {
            assert!(code.is_dark(x - 4 + dx, y - 4));
            covered[(y - 4) * 21 + x - 4 + dx] = true;
        }
    }
    for y in 0..21 {
        for x in 0..21 {
            assert_eq!(covered[y * 21 + x], code.is_dark(x, y), "module {x},{y}");
        }
    }
}

/// Reference symbols made by an independent encoder (Project Nayuki's
/// qrcodegen 1.8, level M, byte mode, no level boost; each also read back
/// by zxing-cpp): text, mask, and each row as hex, most significant bit left.
const VECTORS: &[(&str, u8, &[&str])] = &[
    (
        "hello",
        0,
        &[
            "fe63f8",
            "82c208",
            "ba5ae8",
            "ba32e8",
            "bacae8",
            "820a08",
            "feabf8",
            "003800",
            "aa5090",
            "2c2218",
            "52e8f8",
            "c80210",
            "6b2a80",
            "00f538",
            "fe3738",
            "823d80",
            "bab718",
            "ba4330",
            "bae8a8",
            "824290",
            "feeb18",
        ],
    ),
    (
        "hello",
        5,
        &[
            "fe33f8",
            "829a08",
            "babae8",
            "bacae8",
            "ba2ae8",
            "825208",
            "feabf8",
            "00e000",
            "82b670",
            "d1dde0",
            "6a0b70",
            "1d5f60",
            "3e7fd0",
            "00a848",
            "fe54b0",
            "824278",
            "ba5490",
            "ba1e40",
            "ba3df8",
            "821fe0",
            "fe8890",
        ],
    ),
    (
        "https://localhost:8080/videoid/handoff?t=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_",
        2,
        &[
            "fe5053abf8",
            "822544da08",
            "ba98a7b2e8",
            "baed53fae8",
            "baa6fd2ae8",
            "82b02cda08",
            "feaaaaabf8",
            "00bb850800",
            "be3d682be0",
            "f93bb73b10",
            "aa8e0e34d8",
            "9932bc9288",
            "ea4c4356d8",
            "f157fd2900",
            "2a178451d8",
            "00bd873590",
            "5a7a996ea8",
            "a5e3566910",
            "531dc6dd18",
            "e8e91e8c88",
            "86cfc3c6e0",
            "c08e7da848",
            "e25148b5d8",
            "ac639c9b80",
            "e2cd382628",
            "e4ffb37b00",
            "8bee4a1278",
            "8842af0c90",
            "af80c24fd0",
            "008af5b8c0",
            "fe6dc0aab8",
            "8282eea8d8",
            "bad6897fa8",
            "bab5322688",
            "ba9fc49038",
            "82212f1c88",
            "feb1e246f8",
        ],
    ),
    (
        "http://192.168.1.20:8080/videoid/handoff?t=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        2,
        &[
            "fe79608e4d23f8",
            "824573c4afb208",
            "bad7aa90ea92e8",
            "ba94015a486ae8",
            "ba9a1ffe0962e8",
            "82e7868c23e208",
            "feaaaaaaaaabf8",
            "00ea2488728800",
            "be6400fbd87be0",
            "082cea4e8d3448",
            "3682df45a7c600",
            "dcac95d3f28b50",
            "fb0b18bf583bb8",
            "fc12622a0d70a8",
            "3e9c5706a7c200",
            "a0d255d5b28f50",
            "7ecb90fd793df8",
            "8dfd323e2df0a8",
            "67955a04c64200",
            "1599a6d1f28f50",
            "b3851ae3683df8",
            "45dc75b64560a8",
            "72c4a68cafd200",
            "24bf6d59f68750",
            "2ff940fa5a3ff8",
            "c8834f8e0978d8",
            "0a994faca7da80",
            "68b1758972a8d8",
            "2fad39fa580fe8",
            "2de6736f0d24f8",
            "df3f36ec279860",
            "505ef4a5f29bc8",
            "df45e171582330",
            "0c71731c0d62a8",
            "cb12c6eaa7dc80",
            "48c88ce7d29ed0",
            "13a2a951192178",
            "3581f33e4c65a8",
            "02ba74a8875c80",
            "847fb881f29a50",
            "e61055d3482f78",
            "5559397e456da8",
            "df97563cb7d880",
            "610fe481f09250",
            "121729fa5c2ff8",
            "0097338e0978d8",
            "fe522aac23da80",
            "82c75e8872d8c0",
            "ba80f2fbd81ff0",
            "badcbdc68d3f58",
            "baf8dafda7d5b8",
            "82554923f280d0",
            "fe935397582a20",
        ],
    ),
    (
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        3,
        &[
            "fed89f032c75c77bf8",
            "82ab2e35a24d24c208",
            "ba040f8d54924922e8",
            "baa8ca174c71c70ae8",
            "ba0572f4ff1c71aae8",
            "823df5398c92492208",
            "feaaaaaaaaaaaaabf8",
            "00b2d4818a49349000",
            "b70574adf9c70c6258",
            "919e17024c31c71c20",
            "7bcb2e54c209248218",
            "18240fec74924944c0",
            "96e8c2574c71c76c20",
            "29e56294971c71e748",
            "1f7de95974924934c0",
            "c0c9b5371924934970",
            "22b3a9a1971c70d748",
            "4453b23925c71c7190",
            "c69044021d24925970",
            "b412c801c249229218",
            "0f0574cc21471a6190",
            "9d3e01624df1c51c40",
            "f24b2b34c3c9248258",
            "59a471ec74924924c0",
            "9668e5974c71c70c20",
            "a9e568d4971c71c748",
            "9ffdf15974924934c0",
            "c0c987371924f24970",
            "92bba821971411d748",
            "844393b921df3c7198",
            "46980784193c925960",
            "641eea87c249249218",
            "cf93734ef9c71c6f90",
            "58bc456a8c71c708a0",
            "dadf6a2caa49249a98",
            "18a631f58c944928c0",
            "3ffec596fc77471fa0",
            "f0fda8d4171ff1d748",
            "965e3159a493c921c0",
            "c48107361924924170",
            "86262820c71c71da48",
            "9d6d73b9a1c71c6190",
            "4f3387c2d924924c70",
            "703b6a80d229249a18",
            "e3f06b6d71a7146c90",
            "4021dd62cc51df0c20",
            "f388fa5592493c9718",
            "1dcca9acf492492cc0",
            "33fdd5d75c71c70120",
            "f09aa0f4571c719748",
            "9fbe3d59a4924961c0",
            "c12115561f24924170",
            "83a6b7e0c11c715a48",
            "9d2c6259a3c71de190",
            "87d39e82c92493cc70",
            "bd7a7ae0c349249a18",
            "2f106f0d70c71c6c90",
            "04c1d602cc71c30c20",
            "af0895341249209718",
            "814cc40d7492492cc0",
            "9a7df8d6fc71c70fa0",
            "009abe348f1c71c8c8",
            "febe4f59ac92492ac0",
            "82a112d789349248f0",
            "ba26d560ff0c71dfc8",
            "baa4255871c75c6490",
            "bacdb9824924d25c60",
            "82647f609249248708",
            "fe802e1871c71c6480",
        ],
    ),
];
