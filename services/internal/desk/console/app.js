// The officials' console: sign in, inbox ordered by deadline, a ticket with
// its history, and the reply form. It only calls the desk API.
"use strict";
(function () {
  let token = sessionStorage.getItem("pakn.token");
  const $ = (s) => document.querySelector(s);
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const fmt = (t) => t ? new Date(t).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" }) : "";
  const statusVI = { assigned: "Đang xử lý", triage: "Chờ phân loại", answered: "Đã trả lời", resolved: "Đã giải quyết" };

  async function api(method, path, body) {
    const res = await fetch(path, {
      method, headers: Object.assign({ "Content-Type": "application/json" }, token ? { Authorization: "Bearer " + token } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await res.json().catch(() => ({}));
    if (res.status === 401) { sessionStorage.removeItem("pakn.token"); token = null; show("login"); }
    if (!res.ok) throw new Error((data.error && data.error.message) || res.statusText);
    return data;
  }

  function show(id) {
    for (const s of ["login", "inbox", "ticket"]) $("#" + s).hidden = s !== id;
  }

  async function loadInbox() {
    const me = await api("GET", "/desk/v1/me");
    $("#who").textContent = me.name + " (" + me.username + ")";
    const data = await api("GET", "/desk/v1/tickets");
    $("#inbox tbody").innerHTML = data.tickets.map((t) =>
      `<tr data-code="${esc(t.tracking_code)}" class="${t.overdue ? "overdue" : ""}"><td>${esc(t.tracking_code)}</td><td>${esc(statusVI[t.status] || t.status)}</td><td>${esc(t.ward)}</td><td>${esc(t.excerpt)}</td><td>${esc(fmt(t.deadline))}</td></tr>`).join("")
      || `<tr><td colspan="5">Không có phản ánh nào.</td></tr>`;
    show("inbox");
  }

  async function openTicket(code) {
    const t = await api("GET", "/desk/v1/tickets/" + encodeURIComponent(code));
    $("#ticket").innerHTML = `<p><a href="#" id="back">← Danh sách</a></p>
      <h2>${esc(t.tracking_code)} — ${esc(statusVI[t.status] || t.status)}</h2>
      <p><strong>Đơn vị:</strong> ${esc(t.unit.name)} · <strong>Cán bộ:</strong> ${esc(t.assignee.name)} · <strong>Hạn:</strong> ${esc(fmt(t.deadline))}</p>
      <p><strong>Phường:</strong> ${esc(t.ward)} · <strong>Địa chỉ:</strong> ${esc(t.address)} · <strong>Kênh:</strong> ${esc(t.channel)}</p>
      <blockquote>${esc(t.content)}</blockquote>
      <h3>Trả lời và ghi chú</h3>
      ${t.replies.map((r) => `<div class="reply ${r.public ? "" : "note"}"><p>${esc(r.body)}</p><small>${esc(r.author.name)} — ${esc(fmt(r.at))}${r.public ? "" : " (ghi chú nội bộ)"}</small></div>`).join("") || "<p>Chưa có.</p>"}
      <form id="reply"><label for="body">Nội dung</label><textarea id="body" rows="5" cols="60" required></textarea>
      <label><input type="checkbox" id="public" checked> Gửi cho công dân (bỏ chọn: ghi chú nội bộ)</label>
      <button type="submit">Gửi</button><p id="reply-error" role="alert"></p></form>`;
    $("#back").onclick = (e) => { e.preventDefault(); loadInbox(); };
    $("#reply").onsubmit = async (e) => {
      e.preventDefault();
      try { await api("POST", "/desk/v1/tickets/" + encodeURIComponent(code) + "/replies", { body: $("#body").value, public: $("#public").checked }); openTicket(code); }
      catch (err) { $("#reply-error").textContent = err.message; }
    };
    show("ticket");
  }

  $("#login").onsubmit = async (e) => {
    e.preventDefault();
    try {
      const r = await api("POST", "/desk/v1/login", { username: $("#username").value, password: $("#password").value });
      token = r.token; sessionStorage.setItem("pakn.token", token); loadInbox();
    } catch (err) { $("#login-error").textContent = err.message; }
  };
  $("#inbox tbody").onclick = (e) => { const tr = e.target.closest("tr[data-code]"); if (tr) openTicket(tr.dataset.code); };
  if (token) loadInbox().catch(() => show("login")); else show("login");
})();
