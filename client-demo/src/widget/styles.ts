// The widget's stylesheet, inside its shadow root. The page's selectors cannot reach the shadow tree,
// and these rules cannot reach the page; but the page can style the host element itself (even with
// !important), and what it sets there is inherited inside — so everything sits in one frame that
// starts from `all: initial`, which no rule of the page can reach. Light, dark, or the system's (auto).
const dark = `
    --ts-bg: #171a21;
    --ts-soft: #222733;
    --ts-ink: #e8eaf0;
    --ts-muted: #a9b0c0;
    --ts-line: #39404f;
    --ts-danger: #ff8a80;`;

export const widgetStyles = `
:host {
  all: initial;
  display: block;
  --ts-accent: #3856d6;
  --ts-bg: #ffffff;
  --ts-soft: #f3f4f7;
  --ts-ink: #1d2330;
  --ts-muted: #586072;
  --ts-line: #d9dde5;
  --ts-danger: #b42318;
}
.frame {
  all: initial;
  display: block;
  color: var(--ts-ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
:host([theme="dark"]) {${dark}
}
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) {${dark}
  }
}
:host([floating]) {
  position: fixed;
  right: 20px;
  bottom: 20px;
  z-index: 2147483000;
}
* { box-sizing: border-box; font: inherit; color: inherit; }
[hidden] { display: none !important; }
button, textarea, input { font: inherit; }
button {
  cursor: pointer;
  border: 1px solid var(--ts-line);
  background: var(--ts-bg);
  color: var(--ts-ink);
  border-radius: 8px;
  padding: 6px 12px;
}
button.primary { background: var(--ts-accent); border-color: var(--ts-accent); color: #fff; }
button:disabled { opacity: 0.55; cursor: default; }
button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 2px solid var(--ts-accent); outline-offset: 2px; }
button.icon { border: none; background: none; font-size: 20px; line-height: 1; padding: 2px 8px; }
button.link { border: none; background: none; color: var(--ts-accent); text-decoration: underline; padding: 0 4px; }
.launcher {
  width: 56px; height: 56px; border-radius: 50%; font-size: 24px;
  background: var(--ts-accent); border-color: var(--ts-accent); color: #fff;
  box-shadow: 0 6px 20px rgba(0, 0, 0, 0.25); display: block; margin-left: auto;
}
.panel {
  display: flex; flex-direction: column;
  width: min(380px, calc(100vw - 24px)); height: min(560px, calc(100vh - 110px));
  background: var(--ts-bg); color: var(--ts-ink);
  border: 1px solid var(--ts-line); border-radius: 14px; overflow: hidden;
}
:host([floating]) .panel { position: absolute; right: 0; bottom: 70px; box-shadow: 0 12px 40px rgba(0, 0, 0, 0.28); }
header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid var(--ts-line); }
h2 { margin: 0; font-size: 15px; font-weight: 600; flex: 1; }
.label { margin: 0; padding: 6px 12px 0; font-size: 12px; font-weight: 600; color: var(--ts-muted); text-transform: uppercase; letter-spacing: 0.04em; }
.status { font-size: 12px; color: var(--ts-muted); }
.login { display: flex; flex-direction: column; gap: 10px; padding: 16px; }
.login p { margin: 0; }
label { display: flex; flex-direction: column; gap: 4px; }
input[type="email"], input[type="password"], textarea {
  border: 1px solid var(--ts-line); border-radius: 8px; padding: 7px 9px; background: var(--ts-bg); color: var(--ts-ink);
}
.error { color: var(--ts-danger); margin: 0; }
.chat { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.tasks { list-style: none; margin: 0; padding: 4px 12px 8px; max-height: 120px; overflow: auto; border-bottom: 1px solid var(--ts-line); }
.tasks li { padding: 2px 0; }
.tasks label { flex-direction: row; align-items: center; gap: 6px; }
.empty { color: var(--ts-muted); }
.messages { list-style: none; margin: 0; padding: 10px 12px; flex: 1; overflow: auto; display: flex; flex-direction: column; gap: 8px; }
.message { padding: 8px 10px; border-radius: 10px; background: var(--ts-soft); max-width: 92%; }
.message.user { align-self: flex-end; background: var(--ts-accent); color: #fff; }
.message .meta { font-size: 11px; margin-bottom: 2px; }
.message .meta .link { color: inherit; font-size: 11px; }
.message .text { white-space: pre-wrap; overflow-wrap: anywhere; }
.message[data-status="error"] .meta { color: var(--ts-danger); }
.tool-card { border: 1px solid var(--ts-line); border-radius: 8px; padding: 6px 8px; margin: 4px 0; background: var(--ts-bg); }
.tool-card[data-ok="false"] { border-color: var(--ts-danger); }
.tool-card details { font-size: 12px; color: var(--ts-muted); }
.tool-card code { overflow-wrap: anywhere; }
.approval-card { border: 2px solid var(--ts-accent); border-radius: 10px; padding: 8px 10px; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.approval-card p { margin: 0; flex-basis: 100%; }
.composer { display: flex; gap: 6px; padding: 10px 12px; border-top: 1px solid var(--ts-line); }
.composer textarea { flex: 1; resize: none; min-height: 36px; }
`;
