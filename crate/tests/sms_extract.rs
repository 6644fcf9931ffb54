//! SMS code extraction: the shared corpus (tests/data/sms_dev.jsonl (a copy of ../shared/fixtures/sms/dev.jsonl)), our own
//! (tests/data/sms_more.jsonl) and the issue-14 corpus in 49 languages (tests/data/sms_world.jsonl,
//! its tuning part and its held-back part) held to at least 98% exact matches and no invented code;
//! spans, UTF-16 spans, SMS Retriever markers and domain-bound lines; never a panic on any input.
mod sms;

use latchkey_core::sms::{extract, CodeKind};

fn hold_to_the_bar(name: &str, cases: &[sms::Case], at_least: usize, floor: f64) {
    assert!(cases.len() >= at_least, "only {} messages in {name}", cases.len());
    let r = sms::evaluate(cases);
    // Held-back misses stay hidden unless asked for: nobody tunes on them by accident.
    let misses = if name.contains("held back") && !sms::show_held() {
        "(misses hidden: LATCHKEY_SHOW_HELD=1 shows them)".to_string()
    } else {
        r.misses.join("\n")
    };
    let report = format!(
        "{name}: {}/{} exact ({:.1}%), {} of {} negatives given a code\n{misses}",
        r.exact,
        r.total,
        100.0 * r.accuracy(),
        r.invented,
        r.negatives,
    );
    assert!(r.accuracy() >= floor, "{report}");
    assert_eq!(r.invented, 0, "{report}");
    assert!(r.negatives > 0, "{name} has no negatives");
}

#[test]
fn dev_corpus_is_read_at_98_percent_without_inventing_codes() {
    hold_to_the_bar("dev.jsonl", &sms::cases(sms::DEV), 79, 0.98);
}

#[test]
fn our_corpus_is_read_at_98_percent_without_inventing_codes() {
    hold_to_the_bar("sms_more.jsonl", &sms::cases(sms::MORE), 60, 0.98);
}

#[test]
fn world_corpus_tuning_part_is_read_at_98_percent_without_inventing_codes() {
    let (tuning, _) = sms::split(sms::cases(sms::WORLD));
    hold_to_the_bar("sms_world.jsonl, tuning part", &tuning, 200, 0.98);
}

/// The held-back part was never tuned on; its floor is the figure of the run that set it (README).
#[test]
fn world_corpus_held_back_part_holds_its_floor_without_inventing_codes() {
    let (_, held) = sms::split(sms::cases(sms::WORLD));
    hold_to_the_bar("sms_world.jsonl, held back", &held, 90, HELD_BACK_FLOOR);
}

const HELD_BACK_FLOOR: f64 = 0.98;

#[test]
fn the_world_corpus_covers_30_languages_and_its_split_is_by_id() {
    let cases = sms::cases(sms::WORLD);
    let mut langs: Vec<&str> = cases.iter().map(|c| c.lang.as_str()).collect();
    langs.sort_unstable();
    langs.dedup();
    assert!(langs.len() >= 30, "{} languages", langs.len());
    assert!(cases.len() >= 300, "{} messages", cases.len());
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), cases.len(), "ids are unique");
    // The split is fixed by the ids (FNV-1a of "m002" is 2641924158, divisible by 3), and about a
    // third is held back.
    assert!(sms::held_back("m002") && !sms::held_back("m001") && !sms::held_back("m003"));
    let held = cases.iter().filter(|c| sms::held_back(&c.id)).count();
    assert!(
        (cases.len() / 4..cases.len() / 2).contains(&held),
        "{held} held back of {}",
        cases.len()
    );
}

/// No corpus message without a code is ever given one: every negative of every corpus, at once.
#[test]
fn no_code_is_invented_on_any_negative_message() {
    let mut invented = Vec::new();
    for corpus in [sms::DEV, sms::MORE, sms::WORLD] {
        for c in sms::cases(corpus).iter().filter(|c| c.code.is_none()) {
            if let Some(got) = extract(&c.text) {
                invented.push(format!("{:?} in {:?}", got.code, c.text));
            }
        }
    }
    assert!(invented.is_empty(), "codes invented:\n{}", invented.join("\n"));
}

/// `(text, code, what the span shows)`: the span slices the original text to the code as written.
const SPANS: &[(&str, &str, &str)] = &[
    ("Your code is 123456", "123456", "123456"),
    ("Use 493 017 to verify your Instagram account.", "493017", "493 017"),
    ("Humaniq code: 167-262", "167262", "167-262"),
    ("G-482910 is your Google verification code.", "482910", "482910"),
    ("FB-51392 is your Facebook confirmation code", "51392", "51392"),
    ("Your code is: 5WGU8G", "5WGU8G", "5WGU8G"),
    ("TRUSTED LOCATION PASSCODE: mifsuc", "mifsuc", "mifsuc"),
    ("验证码：805281，用于华为帐号登录。", "805281", "805281"),
    ("Ваш код для входа: 4829.", "4829", "4829"),
    ("Mã xác thực Zalo của bạn là 4829.", "4829", "4829"),
    ("رمز التحقق الخاص بك هو 482913.", "482913", "482913"),
];

#[test]
fn spans_slice_the_code_as_written() {
    for &(text, code, shown) in SPANS {
        let got = extract(text).unwrap_or_else(|| panic!("no code in {text:?}"));
        assert_eq!(got.code, code, "{text:?}");
        assert_eq!(&text[got.span.clone()], shown, "{text:?}");
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let shown16: Vec<u16> = shown.encode_utf16().collect();
        assert_eq!(&utf16[got.span_utf16.clone()], &shown16[..], "{text:?}");
    }
}

#[test]
fn utf16_spans_count_emoji_and_cjk_as_javascript_does() {
    // 🔐 is 4 bytes and 2 UTF-16 units; 验证码 is 9 bytes and 3 units; ： is 3 bytes and 1 unit.
    let text = "🔐【抖音】验证码：9316，用于手机验证";
    let got = extract(text).unwrap();
    assert_eq!(got.code, "9316");
    assert_eq!(got.span, 28..32);
    assert_eq!(got.span_utf16, 10..14);
    let js: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(String::from_utf16(&js[got.span_utf16]).unwrap(), "9316");

    let text = "👋🏽 Hi! Your Lyft code is 744 444 🚗";
    let got = extract(text).unwrap();
    assert_eq!(got.code, "744444");
    assert_eq!(&text[got.span.clone()], "744 444");
    let js: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(String::from_utf16(&js[got.span_utf16]).unwrap(), "744 444");
}

#[test]
fn sms_retriever_markers_and_hashes_are_stripped() {
    // The hash is never the code, even when it could pass for one, and the <#> marker is ignored.
    let got = extract("<#> Your ExampleApp code is: 123ABC78\nFA+9qCX9VSu").unwrap();
    assert_eq!((got.code.as_str(), got.kind), ("123ABC78", CodeKind::Alphanumeric));
    let got = extract("<#>Your Signal verification code is: 445477\nabAbCDEFO1g").unwrap();
    assert_eq!(got.code, "445477");
    // Same line as the message, after a <#> marker.
    let got = extract("<#> Your code is 581302 Ab12Cd34Ef5").unwrap();
    assert_eq!(got.code, "581302");
    // A hash alone is not a code; neither is a marker alone.
    assert_eq!(extract("<#>\nFA+9qCX9VSu"), None);
    assert_eq!(extract("<#> Welcome to ExampleApp!\nabAbCDEFO1g"), None);
    // A grouped code in a Retriever message needs no keyword, and a link repeating it helps.
    assert_eq!(
        extract("hi 1234-5678\n\nsgnl://verify/1234-5678\n\naAbBcCdDeEf")
            .unwrap()
            .code,
        "12345678"
    );
}

#[test]
fn domain_bound_lines_name_the_site() {
    let text = "Your Apple ID Code is: 482913. Don't share it with anyone.\n\n@apple.com #482913 %apple.com";
    let got = extract(text).unwrap();
    assert_eq!(got.code, "482913");
    assert_eq!(got.domain.as_deref(), Some("apple.com"));
    // The span points at the code in the prose, the first place a person reads it.
    assert_eq!(got.span, 23..29);

    let got = extract("Twój kod do Tindera to 121093 Nie udostępniaj @tinder.com #121093").unwrap();
    assert_eq!(
        (got.code.as_str(), got.domain.as_deref()),
        ("121093", Some("tinder.com"))
    );

    // A line alone, alphanumeric, upper-case host: the line is the code, the host is lower-cased.
    let text = "@GitHub.com #8F3K2QX1";
    let got = extract(text).unwrap();
    assert_eq!((got.code.as_str(), got.kind), ("8F3K2QX1", CodeKind::Alphanumeric));
    assert_eq!(got.domain.as_deref(), Some("github.com"));
    assert_eq!(&text[got.span], "8F3K2QX1");

    // The domain-bound line wins over a different number in the prose.
    let got = extract("Code 111111\n@example.com #222222").unwrap();
    assert_eq!(
        (got.code.as_str(), got.domain.as_deref()),
        ("222222", Some("example.com"))
    );

    // Not domain-bound: an e-mail address, a hashtag without a host, a host without a dot.
    for text in [
        "Write to me@example.com #123456",
        "@example #123456",
        "Trending @ #123456",
    ] {
        assert_eq!(extract(text).and_then(|c| c.domain), None, "{text:?}");
    }
}

/// The SMS failure classes of docs/detection.md, one message each (the corpus holds more of every class).
#[test]
fn the_failure_classes_of_the_world_corpus() {
    for (text, code) in [
        // A code glued to a colon after a word: the colon presents it (a time's colon follows a digit).
        ("Code:482913 Use it to sign in.", Some("482913")),
        ("Acme: your code is:5521. It expires soon.", Some("5521")),
        ("验证码:482913，5分钟内有效", Some("482913")),
        ("Order:48213 has shipped.", None),
        ("Meet at 10:3045 tomorrow", None),
        // An equals sign right after a word presents the code too; in a link it is a parameter.
        (
            "OTP=482913 (Ref:KXQZ) for login to K PLUS. Do not disclose this OTP.",
            Some("482913"),
        ),
        ("Your code=5521", Some("5521")),
        ("Sign in at https://x.example/v?code=482913 now", None),
        ("Total=4829 USD", None),
        // Emphasis marks around the code alone are no mask (a masked card number still is).
        ("Your WhatsApp code is *482913*. Don't share it.", Some("482913")),
        ("Your code is **5521**", Some("5521")),
        ("Card ****4829* was charged. Code 551203", Some("551203")),
        // The dot of an abbreviation before a number ends no sentence: the cue keeps its number.
        ("OTP is 482913 (Ref no. 1234)", Some("482913")),
        ("Your code is 482913. Order no. 55120", Some("482913")),
        // A line that names the code and ends with a colon introduces the line below it, blank
        // lines aside; a look-alike cue introduces its own number the same way.
        ("Enter this code to continue:\n482913", Some("482913")),
        (
            "Enter the code below to sign in:\n\n482913\nIt expires in 10 minutes.",
            Some("482913"),
        ),
        ("Your balance:\n4829", None),
        ("Enter this code to continue.\nOrder 48213", None),
        // A 4-digit code before "is your <brand> account verification code".
        ("4471 is your Hubspot account verification code.", Some("4471")),
        // Upper-case codes with only "is your code"; not a word, not lower case.
        ("K7QX2M is your code. Do not share it.", Some("K7QX2M")),
        ("HELLO is your code", None),
        ("ab12cd is your code", None),
        // An alphanumeric code stated in a language added with the world corpus, with a possessive in between.
        ("Koden din er XK4P7Q. Ikke del den med noen.", Some("XK4P7Q")),
        ("Kode kamu adalah ZP4K7X.", Some("ZP4K7X")),
        // A number to call right after the code names the phone number, not the code.
        (
            "Your code is 661093 call 1-866-555-0134 if this wasn't you.",
            Some("661093"),
        ),
        // A short code the message asks you to text a word to is never a code.
        ("Text JOIN to 72345 to get your weekly deals.", None),
        ("Envía ALTA al 22555 para recibir ofertas.", None),
        ("Kampanyalardan çıkmak için RET yazıp 3404'e gönderin.", None),
        (
            "Your Venmo code is 662018. Reply STOP to 86753 to opt out.",
            Some("662018"),
        ),
        ("SMS CODE 551209 FOR YOUR LOGIN. DO NOT SHARE.", Some("551209")),
        // Found on messages written after the corpora: three pairs of digits joined by spaces, a
        // code of letters and digits in dashed groups (typed without the dashes), a message that is
        // the code alone; and their look-alikes.
        ("Verification code: 48 29 13", Some("482913")),
        ("Your code is 4 8 2 9 1 3. It expires soon.", Some("482913")),
        ("Your code: 1 2 3", None),
        ("Your code expires on 06-12-26.", None),
        ("Call us on 06 12 34 56 78 for your code.", None),
        ("Slack confirmation code: ZLP-4T9", Some("ZLP4T9")),
        ("Your confirmation code is ab12-cd34.", Some("ab12cd34")),
        // Longer chains (serials, ids) are no code, nor are their pieces.
        ("Your confirmation code is ab12-cd34-ef56.", None),
        ("Your code is for device 3f2a9c1e-77b4-4c1d-9e2f-0a1b2c3d4e5f", None),
        ("Your code: see add-ons and COVID-19 rules at AB1-CD2.example", None),
        ("Install the add-on AB1-CD2 today. Code 482913", Some("482913")),
        ("482913", Some("482913")),
        (" 4829. ", Some("4829")),
        ("2024", None),
        ("Tracking 482913", None),
        ("482913 https://x.co/a", None),
    ] {
        assert_eq!(extract(text).map(|c| c.code).as_deref(), code, "{text:?}");
    }
    // A domain-bound line whose code has a dash: taken as written, as the format allows.
    let got = extract("Your sign-in code is Q4P-7ZK.\n\n@example.com #Q4P-7ZK").unwrap();
    assert_eq!(
        (got.code.as_str(), got.kind, got.domain.as_deref()),
        ("Q4P-7ZK", CodeKind::Alphanumeric, Some("example.com"))
    );
    // A dash at either end, or a code longer than 12, is no domain-bound code.
    for text in [
        "@example.com #-Q4P7",
        "@example.com #Q4P7-",
        "@example.com #ABCD-EFGH-IJKL",
    ] {
        assert_eq!(extract(text).and_then(|c| c.domain), None, "{text:?}");
    }
}

/// Codes written in another script's digits or in full-width forms are typed in ASCII; the span
/// still points at the code as written.
#[test]
fn other_digits_and_full_width_forms_are_read_as_typed() {
    for (text, code, shown) in [
        ("認証コード：４８２９１３", "482913", "４８２９１３"),
        ("رمز التحقق: ٤٨٢٩١٣", "482913", "٤٨٢٩١٣"),
        ("کد تایید شما: ۴۸۲۹۱۳", "482913", "۴۸۲۹۱۳"),
        ("आपका OTP ४८२९१३ है।", "482913", "४८२९१३"),
        ("รหัส OTP ของคุณคือ ๔๘๒๙๑๓", "482913", "๔๘๒๙๑๓"),
        ("ワンタイムパスワード：４８２　９１３", "482913", "４８２　９１３"),
        ("確認コード：ＡＢ１２ＣＤ", "AB12CD", "ＡＢ１２ＣＤ"),
    ] {
        let got = extract(text).unwrap_or_else(|| panic!("no code in {text:?}"));
        assert_eq!((got.code.as_str(), &text[got.span.clone()]), (code, shown), "{text:?}");
    }
    // Look-alikes stay look-alikes in any digits: an amount, a date, a phone number.
    for text in [
        "المبلغ ١٬٢٥٠٫٠٠ ريال",
        "ご注文番号：１２３４５６７８",
        "お問い合わせ：０１２０－１２３－４５６",
    ] {
        assert_eq!(extract(text).map(|c| c.code), None, "{text:?}");
    }
}

#[test]
fn no_code_where_there_is_none() {
    for text in [
        "",
        "Hello",
        "Your order #4821930 has shipped.",
        "Paid $1,250.00 to ACME on 11/20/2024 at 10:30.",
        "Your card ending 4821 was charged 49,90 EUR.",
        "Call +1 415 555 0132 or 415-555-0132.",
        "Use code SUMMER2024 for 20% off!",
        // Promotions say where the code is spent: the next purchase, the checkout.
        "Thanks for your order! Use code WELCOME10 on your next purchase.",
        "Use code SAVE15 at checkout.",
        "Nutze den Code NEU10 bei deiner nächsten Bestellung.",
        "In 2024 we planted 1500 trees.",
        "Your verification code has expired. Request a new one.",
        "Track: https://example.com/track/482913",
        // Codes typed at a door, a locker, a meeting or a network, never at a sign-in.
        "Door code for your stay: 4829. Check-in after 3pm.",
        "Your parcel locker code is 4829. Collect within 3 days.",
        "Your ticket code: 482913. Show it at the entrance.",
        "Meeting code 482 913 for today's Zoom call",
        "Wi-Fi password: 48291327",
        "Your pickup code is 4829",
        "Ihr Türcode für die Ferienwohnung: 4829",
        "Ihr Abholcode an der Packstation lautet 482913",
        "Votre digicode : 4829. Bon séjour !",
        "Code de retrait de votre colis en consigne automatique : 482913",
        "Código de la puerta: 4829. ¡Buen viaje!",
        "Tu código de recogida del casillero es 482913",
        // The same in the other languages most texted (a table without these cues read each as a code).
        "Il tuo pacco è nel locker Amazon. Codice di ritiro: 482913",
        "Il codice del portone è 4829. Buon soggiorno!",
        "Prenotazione confermata. Codice prenotazione: 482913",
        "Sua encomenda está no cacifo 7. Código de levantamento: 482913",
        "Seu pedido chegou ao armário. Código de retirada: 482913",
        "Twoja paczka czeka w Paczkomacie WAW12M. Kod odbioru: 482913",
        "Kod do drzwi: 4829. Miłego pobytu",
        "Paketiniz kargo dolabında. Teslim alma kodu: 482913",
        "Ваша посылка в постамате. Код получения: 482913",
        "Код домофона: 4829",
        "Der Code für die Haustür lautet 4829. Viel Spaß im Apartment!",
        "Reunión de Zoom: ID 482 9137 5270, código de acceso 482913",
        "Je pakket ligt in de pakketautomaat. Ophaalcode: 482913",
        "Din pakke ligger i pakkeboks 14. Afhentningskode: 482913",
        "Ditt paket finns i paketbox 3. Upphämtningskod: 482913",
        "【丰巢】您的包裹已到柜，取件码482913，请及时领取",
        // A delivery box's PIN in the next sentence: the box speaks for the whole message.
        "荷物が宅配ボックスに届きました。暗証番号482913",
        "宅配ロッカーに荷物をお預かりしています。受取用パスワード：482913",
        // A code the message says has expired or was used is no code to type.
        "Your verification code 482913 has expired. Request a new one in the app.",
        "The code 482913 you requested has expired. Please request a new one.",
        "Your verification code 482913 that you asked for at 10:42 has expired.",
        "Your code 482913 is no longer valid.",
        "Your Acme code 482913 was used to sign in at 10:42. If this wasn't you, contact us.",
        "Ihr Code 482913 ist abgelaufen.",
        "Tu código 482913 ha caducado. Solicita uno nuevo.",
        "Votre code 482913 a expiré.",
        // A table booked: its confirmation number is no sign-in's confirmation code.
        "Your table for 4 at Nopa is confirmed for Dec 12, 7:30pm. Confirmation #482913.",
        // Codes handed out to share or to spend, inline or set apart under the line naming them.
        "Your referral code: JOHN2024",
        "Your invite code: INV42QX",
        "Your gift card code is below.\nGC4KX9\nEnjoy",
        "Your booking reference code is below.\nX7K2QP",
        "Your order confirmation code is below.\nQ7X2KP",
        // A PIN or OTP for the courier or the driver at the door.
        "Amazon: Your package will be delivered today. Share OTP 739102 with the delivery associate only at the time of delivery.",
        "DoorDash: Your order from Chipotle is on its way! Give PIN 4821 to your Dasher at handoff.",
        "Your Uber is arriving. Give PIN 4821 to your driver to start the trip.",
        "Jumia: Your delivery code is 4821 - share it with the rider when your package arrives.",
        "Your delivery OTP is 4821. Share it only when you receive your order.",
        "Your ride PIN is 4821.",
        // A flight's booking code.
        "United: Confirmation code K7QXM2. Flight UA 1187 departs SFO 7:05 AM Dec 15, gate F12.",
    ] {
        assert_eq!(extract(text).map(|c| c.code), None, "{text:?}");
    }
    // A sign-in's access code and one-time password still are codes.
    for (text, code) in [
        ("Wells Fargo: Your temporary access code is 482913.", "482913"),
        ("Your one-time password: 48291327", "48291327"),
        ("Your code is 4829. Use it to unlock the app.", "4829"),
        // Set apart under a line that names it and ends with a full stop (e-mails do this).
        (
            "Here is the security code to verify your account. Use it within 15 minutes.\nK7QX2M\nThanks",
            "K7QX2M",
        ),
        ("Use this code to sign in. It expires in 10 minutes.\nQ7X2KP", "Q7X2KP"),
        ("Ihr Sicherheitscode lautet 482913.", "482913"),
        ("Votre code de vérification : 482913", "482913"),
        ("Tu código de verificación es 482913", "482913"),
        ("Il tuo codice di accesso è 482913", "482913"),
        ("Seu código de verificação é 482913", "482913"),
        ("Twój kod weryfikacyjny to 482913", "482913"),
        ("Doğrulama kodunuz: 482913", "482913"),
        ("Ваш код подтверждения: 482913", "482913"),
        ("【腾讯会议】验证码：482913，5分钟内有效", "482913"),
        // The new code after an old one's expiry; "expired" earlier in the sentence says nothing.
        ("Your previous code has expired. Your new code is 482913.", "482913"),
        ("If your code expired, use 482913 instead.", "482913"),
        ("Use #482913 to verify your Coinbase account.", "482913"),
        // An amount's currency names the amount, not the code after it; a shop's name in a domain
        // (e-shop.gr) is no shopping message.
        ("Your OTP for the transaction of INR 120.00 is 582043", "582043"),
        ("OTP for purchase of Rs. 99 is 582043. Do not share it.", "582043"),
        (
            "Ο κωδικός μιας χρήσης (OTP) για τη συναλλαγή 120,00€ στο e-shop.gr είναι 582043",
            "582043",
        ),
        ("Your code for shop.example.com is 582043", "582043"),
        // The number after the "is" is the code; the one before it is what the code is for.
        (
            "Equity Bank: Your OTP to send KES 1,500.00 to 0712345678 is 739204. It expires in 5 minutes.",
            "739204",
        ),
        ("Your OTP for reference 48291354 is 739204.", "739204"),
        // A verb asking to type the number, in other languages as in English ("Enter 482913 to …").
        (
            "RappiPay: Ingresa 739204 para confirmar tu compra. Nunca compartas este código.",
            "739204",
        ),
        ("Nhập 482913 để xác minh tài khoản Lazada của bạn.", "482913"),
        ("Введите 482913 для входа", "482913"),
        ("Saisissez 482913 pour vous connecter", "482913"),
        // Still a code when the courier is only mentioned in another sentence.
        (
            "Your Amazon sign-in code is 582043. Your delivery associate never asks for it.",
            "582043",
        ),
        // A card's masked number ends what its cue says: the code after it is not the card's.
        (
            "OTP for txn of INR 4,829.00 at AMAZON on card XX4821 is 482913. Valid for 10 mins. -HDFC Bank",
            "482913",
        ),
    ] {
        assert_eq!(extract(text).map(|c| c.code).as_deref(), Some(code), "{text:?}");
    }
}

#[test]
fn handoffs_meetings_gift_cards_and_promotions_are_no_codes_in_any_language() {
    for text in [
        // A code for the courier, the rider or the driver, in other languages than English.
        "Amazon: Tu pedido 402-5829103-4482910 llega hoy. Código de entrega: 582913. Facilítalo al repartidor.",
        "Seu pedido saiu para entrega. Informe o código 4821 ao entregador no momento da entrega.",
        "Votre colis arrive aujourd'hui. Donnez le code 4821 au livreur.",
        "Ihr Paket kommt heute. Nennen Sie dem Zusteller den Code 4821.",
        "Il tuo ordine è in consegna. Comunica il codice 4821 al corriere.",
        "Pesanan Anda sedang diantar. Berikan PIN 4821 ke kurir saat pengantaran.",
        "Đơn hàng đang được giao. Đọc mã 4821 cho shipper khi nhận hàng.",
        "Заказ в пути. Назовите код 4821 курьеру.",
        "Rapido: Aapka Captain 3 min mein pahunch raha hai. Ride start karne ke liye OTP 5829 Captain ko batayein.",
        "Rapido: Share OTP 5829 with Captain Suresh to start your ride.",
        // A meeting: its link or its id says so, in any language.
        "Rappel : réunion aujourd'hui à 14h30.\nZoom : https://us02web.zoom.us/j/84291037521\nID de réunion : 842 9103 7521\nCode secret : 582194",
        "Meeting ID: 842 9103 7521\nPasscode: 582194",
        "Reunião às 15h: https://teams.microsoft.com/l/meetup-join/19%3ameeting_x\nSenha: 582194",
        // A gift card's PIN, and a promotion's code.
        "Has recibido una Tarjeta Regalo de 50,00 EUR. Número: 6010 5829 1037 4821. PIN: 4829.",
        "You've received a gift card from Anna! Card number 6010582910374821, PIN 4829.",
        "Hotels: save 10% with code SPRING24 on selected partner hotels until 31/03/2024.",
        "Get 20 % off your next ride with code RIDE4821.",
    ] {
        assert_eq!(extract(text).map(|c| c.code), None, "{text:?}");
    }
    // Still codes: a sign-in's code beside a courier or a meeting named elsewhere.
    for (text, code) in [
        (
            "Tu código de verificación es 482913. El repartidor nunca te lo pedirá.",
            "482913",
        ),
        (
            "Your Zoom verification code is 582194. It expires in 10 minutes.",
            "582194",
        ),
        (
            "Ihr Zahlungscode lautet 482913. Wir fragen nie nach Ihrer Geschenkkarte.",
            "482913",
        ),
    ] {
        assert_eq!(extract(text).map(|c| c.code).as_deref(), Some(code), "{text:?}");
    }
}

#[test]
fn a_sentence_presents_its_code_after_a_long_subject_and_an_amount_keeps_its_currency() {
    for (text, code) in [
        (
            "BBVA: La clave para autorizar tu compra de 89,90 EUR en ZALANDO con la tarjeta terminada en 3321 es 582014. No la compartas.",
            "582014",
        ),
        (
            "The code to authorize your purchase of 89.90 EUR at ZALANDO with the card ending in 3321 is 582014.",
            "582014",
        ),
        (
            "Postbank: Ihre mobileTAN für die Überweisung an MAX MUSTERMANN, IBAN DE89...3000, Betrag 250,00 EUR lautet: 738291",
            "738291",
        ),
        ("Il codice per il bonifico di 1.250,00 EUR a Mario Rossi è 48291034", "48291034"),
        ("OTP for payment of 1,500 INR to Swiggy: 482913", "482913"),
    ] {
        assert_eq!(extract(text).map(|c| c.code).as_deref(), Some(code), "{text:?}");
    }
}

#[test]
fn a_verb_before_and_a_purpose_after_bring_in_a_short_or_alphanumeric_code() {
    for (text, code) in [
        (
            "Use 6193 to sign in to Bolt. Don't share this code with anyone.",
            "6193",
        ),
        ("Enter 4827 to verify your phone number on Deliveroo.", "4827"),
        ("Wise: Enter \"5273\" in the app to approve your login.", "5273"),
        ("Steam: Enter HF8M2 in the Steam app to finish signing in.", "HF8M2"),
    ] {
        assert_eq!(extract(text).map(|c| c.code).as_deref(), Some(code), "{text:?}");
    }
    for text in [
        // A verb alone, or a purpose alone, is still only a hint.
        "Use 6193 today.",
        "Your table 4827 is ready to verify.",
        // A promotion's code with a verb and a purpose is still a promotion.
        "Use SAVE20 to confirm your order at checkout and get 20% off.",
        "Shopee: Gamitin ang code SHOPEE50 para sa ₱50 OFF sa min. spend na ₱300!",
    ] {
        assert_eq!(extract(text).map(|c| c.code), None, "{text:?}");
    }
}

#[test]
fn parcel_lockers_and_gift_cards_in_more_languages_are_no_codes() {
    for text in [
        "Zásilkovna: Vaše zásilka Z 294 1837 je připravena k vyzvednutí v Z-BOXu Praha 4. Kód pro otevření schránky: 482915.",
        "[CJ대한통운] 고객님의 택배가 무인택배함 3번에 보관되었습니다. 비밀번호 4829 로 수령해주세요.",
        "Dobili ste poklon karticu Lilly u vrednosti 2.000 RSD! Broj kartice: 6390 2281 4471, PIN: 8812.",
        "Your parcel is ready for pickup at the InPost locker. Code: 482915.",
    ] {
        assert_eq!(extract(text).map(|c| c.code), None, "{text:?}");
    }
}

#[test]
fn every_language_table_is_loaded() {
    let langs: Vec<_> = latchkey_core::sms::languages().collect();
    for lang in [
        "en", "es", "pt", "fr", "de", "it", "nl", "ru", "zh", "ja", "ko", "ar", "hi", "tr", "pl", "id", "vi", "da",
        "uk", "ca", "he", "el", "tl", "cs", "sk", "hu", "ro", "sv", "nb", "fi", "th", "ms", "bg", "hr", "sr", "sl",
        "lt", "lv", "et", "fa", "sw", "bn", "ta", "te", "gu", "kn", "ml", "pa", "ur",
    ] {
        assert!(langs.contains(&lang), "no table for {lang}");
    }
}

/// Sign-in codes in the scripts of South Asia, the Caucasus, Ethiopia and mainland Southeast Asia,
/// and in West African and Central Asian languages: each had no cue, so none was read.
#[test]
fn codes_in_the_scripts_that_had_no_table() {
    for text in [
        "আপনার যাচাইকরণ কোড 482913। কাউকে শেয়ার করবেন না।",
        "আপনার ওটিপি হল 482913",
        "உங்கள் சரிபார்ப்பு குறியீடு 482913",
        "మీ ధృవీకరణ కోడ్ 482913",
        "તમારો ચકાસણી કોડ 482913 છે",
        "ನಿಮ್ಮ ಪರಿಶೀಲನಾ ಕೋಡ್ 482913",
        "താങ്കളുടെ വെരിഫിക്കേഷൻ കോഡ് 482913",
        "ਤੁਹਾਡਾ ਪੁਸ਼ਟੀਕਰਨ ਕੋਡ 482913 ਹੈ",
        "آپ کا تصدیقی کوڈ 482913 ہے",
        "የማረጋገጫ ኮድዎ 482913 ነው",
        "Lambar tabbatarwa ɗinku ita ce 482913",
        "Koodu rẹ ti ijẹrisi ni 482913",
        "Nambari yako ya uthibitisho ni 482913",
        "Сіздің растау кодыңыз: 482913",
        "Ձեր հաստատման կոդն է 482913",
        "თქვენი დადასტურების კოდია 482913",
        "ລະຫັດຢືນຢັນຂອງທ່ານແມ່ນ 482913",
        "លេខកូដផ្ទៀងផ្ទាត់របស់អ្នកគឺ 482913",
        "သင်၏ အတည်ပြုကုဒ်မှာ 482913 ဖြစ်သည်",
        "ඔබගේ සත්‍යාපන කේතය 482913",
    ] {
        assert_eq!(extract(text).map(|c| c.code).as_deref(), Some("482913"), "{text:?}");
    }
    for text in [
        "আপনার অর্ডার 482913 পাঠানো হয়েছে",
        "آپ کا آرڈر نمبر 482913 روانہ کر دیا گیا ہے",
    ] {
        assert_eq!(extract(text).map(|c| c.code), None, "{text:?}");
    }
}

#[test]
fn debug_output_hides_the_code() {
    let got = extract("Your code is 482913").unwrap();
    let shown = format!("{got:?}");
    assert!(!shown.contains("482913"), "{shown}");
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use latchkey_core::sms::extract;
    use proptest::prelude::*;

    fn check(text: &str) {
        if let Some(c) = extract(text) {
            assert!(c.span.start < c.span.end && c.span.end <= text.len());
            assert!(text.is_char_boundary(c.span.start) && text.is_char_boundary(c.span.end));
            let n16 = text.encode_utf16().count();
            assert!(c.span_utf16.start < c.span_utf16.end && c.span_utf16.end <= n16);
            assert_eq!(text[..c.span.start].encode_utf16().count(), c.span_utf16.start);
            assert!((4..=12).contains(&c.code.len()), "{}", c.code.len());
        }
    }

    const PIECES: &[&str] = &[
        "code",
        "验证码",
        "код",
        ": ",
        " ",
        "-",
        "\n",
        "<#>",
        "@a.com #",
        "#",
        "%",
        "$",
        ".",
        "G-",
        "🔐",
        "İ",
        "ß",
        "https://x.io/",
        "abAbCDEFO1g",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn never_panics_and_spans_are_in_bounds(text in any::<String>()) {
            check(&text);
        }

        /// Text built from the pieces the scanner cares about, so codes are actually found.
        #[test]
        fn pieces_of_messages(parts in proptest::collection::vec(prop_oneof![
            proptest::sample::select(PIECES).prop_map(String::from),
            "[0-9]{1,12}",
            "[A-Za-z0-9]{1,12}",
            "\\PC{0,3}",
        ], 0..24)) {
            check(&parts.concat());
        }
    }
}
