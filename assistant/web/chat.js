// The chat transcript's behaviour (gr.HTML js_on_load): citation links, the article viewer, copy, and
// the buttons that send events to Python. All HTML it inserts was built and escaped by assistant/chat_view.py.
if (!element.dataset.wired) {
  element.dataset.wired = "1";
  const dlg = document.createElement("dialog");
  dlg.id = "qa-viewer";
  dlg.setAttribute("aria-label", "Passage in its article");
  dlg.innerHTML = '<div class="qa-viewer-bar"><button type="button" class="qa-close" aria-label="Close">✕</button></div><div class="qa-viewer-body"></div>';
  document.body.appendChild(dlg);
  dlg.querySelector(".qa-close").addEventListener("click", () => dlg.close());
  dlg.addEventListener("click", (e) => { if (e.target === dlg) dlg.close(); });

  async function openArticle(pid, lang) {
    const body = dlg.querySelector(".qa-viewer-body");
    body.innerHTML = await server.article([pid, lang || "zh"]);
    if (!dlg.open) dlg.showModal();
    // Scroll only the article's own box, so the title and heading path stay in view.
    const hl = body.querySelector("#qa-hl");
    const text = body.querySelector(".article-text");
    if (hl && text) text.scrollTop = Math.max(0, hl.offsetTop - text.clientHeight / 3);
  }

  function openCite(turn, n) {
    const det = element.querySelector("#sources-" + turn);
    if (det) det.open = true;
    element.querySelectorAll(".src.active").forEach((x) => x.classList.remove("active"));
    const li = element.querySelector("#src-" + turn + "-" + n);
    if (!li) return;
    li.classList.add("active");
    const view = li.querySelector("[data-act=view]");
    if (view) openArticle(view.dataset.pid, view.dataset.lang);
  }

  async function copy(btn) {
    const answer = element.querySelector("#answer-" + btn.dataset.turn);
    const text = answer ? answer.dataset.copy : "";
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    btn.textContent = btn.dataset.done;
    setTimeout(() => { btn.textContent = btn.dataset.label; }, 1500);
  }

  element.addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-act]");
    if (!b || !element.contains(b)) return;
    const act = b.dataset.act;
    if (act === "cite") { ev.preventDefault(); openCite(b.dataset.turn, b.dataset.n); }
    else if (act === "view") openArticle(b.dataset.pid, b.dataset.lang);
    else if (act === "copy") copy(b);
    else if (act === "ask") trigger("ask_q", { text: b.dataset.q });
    else if (act === "like" || act === "dislike") trigger("rate", { turn: Number(b.dataset.turn), value: act });
    else if (act === "retry") trigger("redo", { turn: Number(b.dataset.turn) });
    else if (act === "undo") trigger("takeback", { turn: Number(b.dataset.turn) });
  });

  // Scroll the newest question or answer to the top of the view (not the bottom of the chat).
  let shown = "";
  function focusNew() {
    const root = element.querySelector(".qa-chat");
    if (!root || !root.dataset.focus) return;
    const key = root.dataset.focus + "#" + root.dataset.nonce;
    if (key === shown) return;
    shown = key;
    let target = element.querySelector("#" + root.dataset.focus);
    // Keep a short question in view above its answer; a long one would push the answer's start away.
    const turn = target && target.closest(".turn");
    const q = turn && turn.querySelector(".q");
    if (q && q.getBoundingClientRect().height < window.innerHeight * 0.2) target = turn;
    if (target) requestAnimationFrame(() => target.scrollIntoView({ block: "start" }));
  }
  watch("value", focusNew);
  focusNew();
}
