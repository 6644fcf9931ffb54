//! What a browser's user-agent string says about the device, for a default device name.
//!
//! Limits that no parser can get past, so the name is only a default the person can edit:
//! - Windows 11 still sends "Windows NT 10.0", so both read as "Windows".
//! - iPadOS Safari asks for desktop sites by default and then sends a Mac user agent.
//! - Brave sends Chrome's user agent; pass `navigator.userAgentData.brands` to tell them apart
//!   (its brands include "Brave"). Android's reduced user agent replaces the model with "K".

/// Operating system, browser and kind of device, as shown to people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// "Windows", "macOS", "Linux", "ChromeOS", "Android", "iOS", "iPadOS", or "Unknown OS".
    pub os: &'static str,
    /// "Chrome", "Edge", "Firefox", "Safari", "Brave", "Opera", "Vivaldi", "Samsung Internet",
    /// "Chromium", or "Browser".
    pub browser: &'static str,
    /// "Windows PC", "Mac", "Linux PC", "Chromebook", "iPhone", "iPad", an Android model when the
    /// user agent names one ("Pixel 7"), else "Android phone" / "Android tablet", or "Computer".
    pub device: String,
}

impl DeviceInfo {
    /// Reads a user-agent string; `brands` are `navigator.userAgentData.brands[].brand` when the
    /// browser offers them (Chromium-based browsers do), else empty.
    pub fn from_user_agent(user_agent: &str, brands: &[&str]) -> DeviceInfo {
        let ua = user_agent;
        let os = os_of(ua);
        DeviceInfo {
            os,
            browser: browser_of(ua, brands, os),
            device: device_of(ua, os),
        }
    }
}

fn os_of(ua: &str) -> &'static str {
    if ua.contains("iPad") {
        "iPadOS"
    } else if ua.contains("iPhone") || ua.contains("iPod") {
        "iOS"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Macintosh") || ua.contains("Mac OS X") {
        "macOS"
    } else if ua.contains("Linux") || ua.contains("X11") {
        "Linux"
    } else {
        "Unknown OS"
    }
}

fn browser_of(ua: &str, brands: &[&str], os: &str) -> &'static str {
    let brand = |name: &str| brands.iter().any(|b| b.trim() == name);
    // Most specific first: every Chromium browser also says "Chrome" and "Safari".
    if brand("Brave") || ua.contains("Brave") {
        "Brave"
    } else if ua.contains("Edg/") || ua.contains("EdgA/") || ua.contains("EdgiOS/") || brand("Microsoft Edge") {
        "Edge"
    } else if ua.contains("OPR/") || ua.contains("OPiOS/") || brand("Opera") {
        "Opera"
    } else if ua.contains("Vivaldi/") {
        "Vivaldi"
    } else if ua.contains("SamsungBrowser/") {
        "Samsung Internet"
    } else if ua.contains("Firefox/") || ua.contains("FxiOS/") {
        "Firefox"
    } else if ua.contains("CriOS/") || brand("Google Chrome") {
        "Chrome"
    } else if ua.contains("Chromium/") || brand("Chromium") {
        // Chromium sends Chrome's user agent; only its brands (no "Google Chrome") tell.
        "Chromium"
    } else if ua.contains("Chrome/") {
        "Chrome"
    } else if ua.contains("Safari/") && (os == "macOS" || os == "iOS" || os == "iPadOS") {
        "Safari"
    } else {
        "Browser"
    }
}

fn device_of(ua: &str, os: &str) -> String {
    match os {
        "Windows" => "Windows PC".into(),
        "macOS" => "Mac".into(),
        "Linux" => "Linux PC".into(),
        "ChromeOS" => "Chromebook".into(),
        "iOS" => if ua.contains("iPod") { "iPod" } else { "iPhone" }.into(),
        "iPadOS" => "iPad".into(),
        "Android" => android_model(ua).unwrap_or_else(|| {
            if ua.contains("Mobile") {
                "Android phone"
            } else {
                "Android tablet"
            }
            .into()
        }),
        _ => "Computer".into(),
    }
}

/// The model in "(Linux; Android 14; Pixel 8 Build/…)" or "(Linux; Android 13; SM-S911B)", unless
/// it is the reduced user agent's placeholder "K".
fn android_model(ua: &str) -> Option<String> {
    let inside = ua.split_once('(')?.1.split_once(')')?.0;
    let mut parts = inside.split(';').map(str::trim);
    parts.find(|p| p.starts_with("Android"))?;
    let model = parts.next()?;
    let model = model.split(" Build/").next().unwrap_or(model).trim();
    let generic =
        model.is_empty() || model == "K" || model == "Mobile" || model == "Tablet" || model.starts_with("rv:");
    (!generic && model.len() <= 40).then(|| model.to_string())
}
