//! Automations, in the on-demand import module (feature `wasm-import`): the plan the runner
//! executes and its page check (`crate::automation`), loaded when an account page lists or runs an
//! automation, never at worker start: in the always-loaded core the parser and its checks cost
//! 8.6 KB gzip. It keeps its own copy of the Public Suffix List's compact tables (the same file the
//! core loads): the rule is the core's, so both instances decide alike.

use wasm_bindgen::prelude::*;

use super::{js_err, to_js};
use crate::automation;
use crate::site::PublicSuffixList;

/// The automations' site rule over the Public Suffix List.
#[wasm_bindgen]
pub struct Automations {
    list: PublicSuffixList,
}

#[wasm_bindgen]
impl Automations {
    /// Loads the list's compact form (`extension/data/public_suffix_list.bin`); throws when the
    /// file is damaged or holds no rules.
    #[wasm_bindgen(js_name = fromCompact)]
    pub fn from_compact(bytes: &[u8]) -> Result<Automations, JsError> {
        let list = PublicSuffixList::from_compact(bytes).map_err(js_err)?;
        if list.is_empty() {
            return Err(JsError::new("the Public Suffix List is empty: reinstall the extension"));
        }
        Ok(Automations { list })
    }

    /// An automation's text, parsed and checked (`automation::parse`), as the plan the runner
    /// executes for an account saved at `origin` (without one, `open` steps keep their paths: for
    /// listing, not running); throws with the line and reason when refused.
    #[wasm_bindgen(unchecked_return_type = "AutomationPlan")]
    pub fn plan(&self, text: &str, origin: Option<String>) -> Result<JsValue, JsError> {
        let automation = automation::parse(text, &self.list).map_err(js_err)?;
        to_js(&automation.plan(&self.list, origin.as_deref()).map_err(js_err)?)
    }

    /// `undefined` when a job of an automation for `site` may act on a tab showing `url` (the URL
    /// the browser reports), else why not (`automation::may_act_on_site`).
    #[wasm_bindgen(js_name = refusesPage)]
    pub fn refuses_page(&self, site: &str, url: &str) -> Option<String> {
        automation::may_act_on_site(&self.list, site, url)
            .err()
            .map(|e| e.to_string())
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_AUTOMATION: &'static str = r#"
/** What `Automations.plan` returns: the checked automation, each `open` resolved on the origin. */
export interface AutomationPlan {
  app: string;
  task: "turn-on-totp" | "add-number" | "turn-on-sms";
  site: string;
  steps: AutomationStep[];
}
export interface AutomationStep {
  line: number;
  kind: "open" | "wait" | "fill" | "click" | "read" | "read-list" | "check" | "when" | "end";
  timeoutS: number;
  url?: string;
  selector?: string;
  value?: "username" | "password" | "new-code" | "managed-number" | "sms-code";
  condition?: "present" | "absent" | "text";
  text?: string;
  describe: string;
}
"#;
