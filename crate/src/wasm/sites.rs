//! The Public Suffix List and the rules built on it, for the service worker: `Sites`.

use wasm_bindgen::prelude::*;

use super::{js_err, unix_seconds};
use crate::site::{self, Candidate, Decision, Frame, PublicSuffixList, SignInGroups, Step};
use crate::sms::{self, InboxChoice, Received};

/// The Public Suffix List and the fill policy built on it.
#[wasm_bindgen]
pub struct Sites {
    list: PublicSuffixList,
    sign_in: SignInGroups,
}

#[wasm_bindgen]
impl Sites {
    /// Loads `public_suffix_list.dat` text; throws when it holds no rules (a broken download).
    #[wasm_bindgen(constructor)]
    pub fn new(psl_text: &str) -> Result<Sites, JsError> {
        let list = PublicSuffixList::parse(psl_text);
        if list.is_empty() {
            return Err(JsError::new("the Public Suffix List is empty: reinstall the extension"));
        }
        Ok(Sites {
            list,
            sign_in: SignInGroups::default(),
        })
    }

    /// Loads the list's compact form (`extension/data/public_suffix_list.bin`, written by
    /// `./build.sh build`): the text's parsed tables, copied in without parsing; throws when the
    /// file is damaged or holds no rules.
    #[wasm_bindgen(js_name = fromCompact)]
    pub fn from_compact(bytes: &[u8]) -> Result<Sites, JsError> {
        let list = PublicSuffixList::from_compact(bytes).map_err(js_err)?;
        if list.is_empty() {
            return Err(JsError::new("the Public Suffix List is empty: reinstall the extension"));
        }
        Ok(Sites {
            list,
            sign_in: SignInGroups::default(),
        })
    }

    #[wasm_bindgen(getter, js_name = ruleCount)]
    pub fn rule_count(&self) -> usize {
        self.list.len()
    }

    /// The registrable domain a host belongs to (the host itself for IPs and single labels).
    #[wasm_bindgen(js_name = siteOf)]
    pub fn site_of(&self, host: &str) -> String {
        self.list.site_of(host)
    }

    /// Loads the sign-in hosts (`extension/data/sign-in-sites.txt`, which a native test checks
    /// against the real Public Suffix List); returns how many hosts and sites it names, throws on a
    /// malformed list (keeping the lines loaded before).
    #[wasm_bindgen(js_name = loadSignInSites)]
    pub fn load_sign_in_sites(&mut self, text: &str) -> Result<usize, JsError> {
        self.sign_in = SignInGroups::parse(text).map_err(js_err)?;
        Ok(self.sign_in.len())
    }

    /// The fill decision for a frame that found a code field (`site::fill`), from what the
    /// browser reports about the frame and, for each candidate account, its id and the sites its
    /// codes may go to (`sites[i]`: candidate i's sites, separated by spaces) and its user name
    /// (`usernames[i]`, "" when unknown); `setup`, `newKey` and `username` describe the step
    /// (`site::Step`). Returns `[action, host, reason, ...ids]`: action "fill" (one id), "choose"
    /// (several), "setup" (a setup step: offer to save its key) or "none"; `host` the frame's host
    /// when it may be filled at all, else "" and `reason` says why.
    /// (Flat arguments and a list of texts cost less wasm than objects; `fill.js` wraps it.)
    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &self,
        url: &str,
        top_url: Option<String>,
        is_top: bool,
        sandboxed: bool,
        ids: Vec<String>,
        sites: Vec<String>,
        usernames: Vec<String>,
        setup: bool,
        #[wasm_bindgen(js_name = newKey)] new_key: Option<String>,
        username: Option<String>,
    ) -> Vec<String> {
        let frame = Frame {
            url,
            top_url: top_url.as_deref(),
            is_top,
            sandboxed,
        };
        let mut usernames = usernames.into_iter();
        let candidates: Vec<Candidate> = ids
            .into_iter()
            .zip(sites)
            .map(|(id, sites)| Candidate {
                id,
                sites: sites.split_whitespace().map(str::to_string).collect(),
                username: usernames.next().filter(|u| !u.is_empty()),
            })
            .collect();
        let step = Step {
            setup,
            new_key: new_key.as_deref(),
            username: username.as_deref(),
        };
        let (action, host, reason, ids) = match self.list.decide(&self.sign_in, &frame, &candidates, &step) {
            Ok((host, Decision::Fill(id))) => ("fill", host, String::new(), vec![id]),
            Ok((host, Decision::Choose(ids))) => ("choose", host, String::new(), ids),
            Ok((host, Decision::NoAccount)) => ("none", host, String::new(), Vec::new()),
            Ok((host, Decision::Setup)) => ("setup", host, String::new(), Vec::new()),
            Err(e) => ("none", String::new(), e.to_string(), Vec::new()),
        };
        let mut out = vec![action.to_string(), host, reason];
        out.extend(ids);
        out
    }

    /// Which opened message's code (an SMS's or an e-mail's) fills a page on `host`
    /// (`sms::pick_code`): message `i` has id
    /// `ids[i]`, arrived at `received[i]` (Unix seconds), `afterWait[i]` is 1 when it came through
    /// the wait, `codes[i]` is its code ("" when none) and `domains[i]` the site it binds the code
    /// to ("" when none), `senders[i]` an e-mail's sender domain as the server verified it ("" for an
    /// SMS or an unverified sender); `used` are the ids filled before. Returns the index of the message whose
    /// code fills, or `undefined`. (Flat lists cost less wasm than objects; `sms/rules.js` wraps it.)
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = pickCode)]
    pub fn pick_code(
        &self,
        host: &str,
        now: f64,
        ids: Vec<String>,
        received: Vec<f64>,
        #[wasm_bindgen(js_name = afterWait)] after_wait: Vec<u8>,
        codes: Vec<String>,
        domains: Vec<String>,
        senders: Vec<String>,
        used: Vec<String>,
    ) -> Result<Option<usize>, JsError> {
        let n = ids.len();
        if [
            received.len(),
            after_wait.len(),
            codes.len(),
            domains.len(),
            senders.len(),
        ] != [n; 5]
        {
            return Err(JsError::new("pickCode needs one entry per message in every list"));
        }
        let messages = (0..n)
            .map(|i| {
                Ok(Received {
                    id: &ids[i],
                    received_at: unix_seconds(received[i])?,
                    after_wait_began: after_wait[i] != 0,
                    code: nonempty(&codes[i]),
                    domain: nonempty(&domains[i]),
                    verified_sender: nonempty(&senders[i]),
                })
            })
            .collect::<Result<Vec<_>, JsError>>()?;
        Ok(sms::pick_code(
            &messages,
            unix_seconds(now)?,
            host,
            |id| used.iter().any(|u| u == id),
            |bound, page| self.list.same_sign_in(&self.sign_in, bound, page),
        ))
    }

    /// Whether a page host belongs to the site an account was saved for, or is a host that serves
    /// that site's sign-in.
    #[wasm_bindgen(js_name = sameSite)]
    pub fn same_site(&self, account_site: &str, page_host: &str) -> bool {
        self.list.same_sign_in(&self.sign_in, account_site, page_host)
    }

    /// Normalises what a person typed as an account's site to a host; throws on nonsense.
    #[wasm_bindgen(js_name = hostFromInput)]
    pub fn host_from_input(input: &str) -> Result<String, JsError> {
        site::host_from_input(input).map_err(js_err)
    }

    /// `undefined` when a page with this scheme and host may be filled, else the reason it may not.
    #[wasm_bindgen(js_name = refuseFill)]
    pub fn refuse_fill(scheme: &str, host: &str) -> Option<String> {
        site::check_fillable(scheme, host).err().map(|e| e.to_string())
    }
}

/// Whose inbox fills a page when `count` accounts with a managed number fit its site
/// (`sms::inbox_choice`): `used` is the index among them of the account last used in the tab (-1
/// when none of them was), at `usedAt`; times in Unix milliseconds. Returns the index of the
/// account whose inbox to use, or `undefined`: the person chooses among them (when there are any).
#[wasm_bindgen(js_name = inboxChoice)]
pub fn inbox_choice(count: usize, used: i32, used_at: f64, now_ms: f64) -> Result<Option<usize>, JsError> {
    let ms = |t: f64| unix_seconds(t / 1000.0).map(|_| t.floor() as u64);
    // The rule compares ids; here each account's index stands for its id.
    let matches: Vec<usize> = (0..count).collect();
    let used = match usize::try_from(used) {
        Ok(i) => Some((i, ms(used_at)?)),
        Err(_) => None,
    };
    Ok(match sms::inbox_choice(&matches, used, ms(now_ms)?) {
        InboxChoice::Account(i) => Some(i),
        InboxChoice::Choose | InboxChoice::None => None,
    })
}

fn nonempty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}
