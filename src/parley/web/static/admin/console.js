// The console's review pages, enhanced: decisions over the JSON API with an undo toast,
// keyboard triage, bulk selection, the author drawer, and "N new" (the moderators' event
// stream; the queue API polled while the stream is down).
// The pages work without this file: every action is also a plain form.
// Comment text only ever reaches the page through textContent or nodes the server escaped.

const API = '/api/v1/admin';
const POLL_MS = 15000;
const UNDO_MS = 10000;
const LEAVES = { held: true, flagged: true, reported: true, recent: false };
const STATUS_NAMES = { pending: 'held', published: 'published', flagged: 'flagged', rejected: 'rejected', deleted: 'deleted' };
const PAST = { approve: 'Approved', reject: 'Rejected', spam: 'Marked as spam', delete: 'Deleted', edit: 'Edited', restore: 'Restored' };

const page = document.querySelector('.console-page');
const main = document.getElementById('main');
const csrf = main ? main.dataset.csrfToken || '' : '';

class ApiError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

async function api(method, path, body) {
  if (method !== 'GET') acting += 1;
  try {
    return await callApi(method, path, body);
  } finally {
    if (method !== 'GET') {
      acting -= 1;
      // After the caller has applied the answer (a later task): see otherDecision.
      if (!acting && (deferred.length || pollLater)) window.setTimeout(flushDeferred, 0);
    }
  }
}

async function callApi(method, path, body) {
  const options = { method, credentials: 'same-origin', headers: { Accept: 'application/json', 'X-CSRF-Token': csrf } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const answer = await fetch(API + path, options);
  let data = null;
  try { data = await answer.json(); } catch { data = null; }
  if (!answer.ok) throw new ApiError((data && data.detail) || answer.statusText || 'failed', answer.status);
  return data;
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name === 'className') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

// -- announcements, the toast -------------------------------------------------------------
const live = document.querySelector('[data-live]');
function announce(message) {
  if (!live) return;
  live.textContent = '';
  window.setTimeout(() => { live.textContent = message; }, 50);
}

const toast = document.querySelector('[data-toast]');
let toastTimer = 0;
let pendingUndo = null;
function showToast(message, undo) {
  if (!toast) return;
  window.clearTimeout(toastTimer);
  pendingUndo = undo;
  toast.querySelector('[data-toast-text]').textContent = message;
  toast.querySelector('[data-undo]').hidden = !undo;
  toast.hidden = false;
  toastTimer = window.setTimeout(hideToast, undo ? Math.max(0, undo.until - Date.now()) : 5000);
}
function hideToast() {
  window.clearTimeout(toastTimer);
  pendingUndo = null;
  if (toast) toast.hidden = true;
}
async function runUndo() {
  const undo = pendingUndo;
  if (!undo) return;
  hideToast();
  try {
    const outcome = await api('POST', `/undo/${encodeURIComponent(undo.id)}`);
    undo.restore(outcome);
    const n = outcome.reverted.length;
    announce(`Undone: ${n} comment${n === 1 ? '' : 's'} put back.`);
  } catch (error) {
    announce(`Could not undo: ${error.message}.`);
  }
}
if (toast) toast.querySelector('[data-undo]').addEventListener('click', runUndo);

// -- the items ----------------------------------------------------------------------------
function items() { return [...document.querySelectorAll('[data-items] > li.item')]; }
function currentItem() { return document.querySelector('[data-items] > li.item.is-current') || null; }
function setCurrent(li, focus = true) {
  for (const other of document.querySelectorAll('li.item.is-current')) other.classList.remove('is-current');
  if (!li) return;
  li.classList.add('is-current');
  if (focus) {
    const card = li.querySelector('[data-item]');
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: 'nearest' });
  }
}
function move(step) {
  const all = items();
  if (!all.length) return;
  const at = all.indexOf(currentItem());
  const next = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
  setCurrent(all[next]);
}
function itemOf(node) { return node && node.closest ? node.closest('li.item') : null; }

function setStatus(li, status) {
  li.dataset.status = status;
  const badge = li.querySelector('[data-status-badge]');
  if (badge) {
    badge.textContent = STATUS_NAMES[status] || status;
    badge.className = `badge status-${status}`;
  }
}

// Take the decided items out of a queue they left; undo puts them back where they were.
function applyOutcome(action, result, started) {
  const queue = page.dataset.queue;
  const removed = [];
  const changed = [];
  for (const applied of result.applied) {
    const li = document.querySelector(`[data-items] > li.item[data-id="${applied.id}"]`);
    if (!li) continue;
    changed.push({ li, status: li.dataset.status });
    setStatus(li, applied.status_after);
    if (LEAVES[queue] && action !== 'edit') removed.push({ li, parent: li.parentNode, next: li.nextElementSibling });
  }
  const focusAfter = removed.length ? nextAfter(removed.map((r) => r.li)) : null;
  for (const { li } of removed) {
    const box = li.querySelector('[data-select]');
    if (box) box.checked = false;
    li.classList.remove('is-selected', 'is-current');
    li.remove();
  }
  updateSelection();
  showEmpty();
  adjustCount(-removed.length);
  if (removed.length) setCurrent(focusAfter);
  if (page.classList.contains('detail-page')) refreshDetail();
  const n = result.applied.length;
  const skipped = result.skipped.length ? `, ${result.skipped.length} skipped` : '';
  const what = `${PAST[action] || action}: ${n === 1 && result.applied[0] ? `comment ${result.applied[0].id}` : `${n} comments`}${skipped}${result.more ? ' (more match the filter: apply again)' : ''}.`;
  if (!result.undo_id) {
    announce(what);
    showToast(what, null);
    return;
  }
  announce(`${what} Undo is offered for 10 seconds.`);
  showToast(what, {
    id: result.undo_id,
    until: started + UNDO_MS,
    restore(outcome) {
      const back = new Set(outcome.reverted.map((r) => r.id));
      for (const { li, parent, next } of [...removed].reverse()) {
        if (!back.has(Number(li.dataset.id))) continue;
        if (next && next.parentNode === parent) parent.insertBefore(li, next); else parent.append(li);
        adjustCount(1);
      }
      for (const { li, status } of changed) if (back.has(Number(li.dataset.id))) setStatus(li, status);
      if (page.classList.contains('detail-page')) refreshDetail();
      showEmpty();
      const first = changed.find(({ li }) => back.has(Number(li.dataset.id)));
      if (first) setCurrent(first.li);
    },
  });
}

// The current tab's count follows what leaves the queue and what undo puts back.
function adjustCount(delta) {
  const count = document.querySelector('.tabs a[aria-current=page] .count');
  if (!count || !delta || !/^\d+$/.test(count.textContent.trim())) return;
  count.textContent = String(Math.max(0, Number(count.textContent) + delta));
}

function nextAfter(leaving) {
  const all = items();
  const gone = new Set(leaving);
  const last = Math.max(...leaving.map((li) => all.indexOf(li)));
  for (let i = last + 1; i < all.length; i += 1) if (!gone.has(all[i])) return all[i];
  for (let i = last - 1; i >= 0; i -= 1) if (!gone.has(all[i])) return all[i];
  return null;
}

function showEmpty() {
  const empty = document.querySelector('[data-empty]');
  if (empty) empty.hidden = items().length > 0;
}

async function act(li, action, extra) {
  if (!li) return;
  const id = li.dataset.id;
  const started = Date.now();
  try {
    const result = await api('POST', `/comments/${id}/${action}`, extra || {});
    applyOutcome(action, result, started);
    return result;
  } catch (error) {
    announce(`Comment ${id} was not changed: ${error.message}.`);
    showToast(`Comment ${id} was not changed: ${error.message}.`, null);
    return null;
  }
}

// -- selection and bulk -------------------------------------------------------------------
function selectedIds() {
  return [...document.querySelectorAll('[data-items] [data-select]:checked')].map((box) => Number(box.value));
}
function updateSelection() {
  for (const box of document.querySelectorAll('[data-items] [data-select]')) {
    const li = itemOf(box);
    if (li) li.classList.toggle('is-selected', box.checked);
  }
  const counter = document.querySelector('[data-selected-count]');
  if (counter) {
    const n = selectedIds().length;
    counter.textContent = n ? `(${n} selected)` : '(select comments with their check boxes or x)';
  }
}
function toggleSelect(li) {
  const box = li && li.querySelector('[data-select]');
  if (!box) return;
  box.checked = !box.checked;
  updateSelection();
  announce(`Comment ${li.dataset.id} ${box.checked ? 'selected' : 'unselected'}; ${selectedIds().length} selected.`);
}

async function bulk(form, scope) {
  const action = form.querySelector('[name=action]').value;
  const body = { action };
  if (action === 'reject') body.reason = form.querySelector('[name=reason]').value;
  if (scope === 'filter') {
    if (!window.confirm(`${action} every comment in this filter?`)) return;
    body.queue = page.dataset.queue;
    body.q = page.dataset.q;
  } else {
    body.ids = selectedIds();
    if (!body.ids.length) { announce('Select comments first (x or their check boxes).'); return; }
  }
  const started = Date.now();
  try {
    applyOutcome(action, await api('POST', '/bulk', body), started);
  } catch (error) {
    announce(`Nothing was changed: ${error.message}.`);
    showToast(`Nothing was changed: ${error.message}.`, null);
  }
}

// -- dialogs ------------------------------------------------------------------------------
function openDialog(dialog, opener) {
  if (!dialog || dialog.open) return;
  dialog.returnValue = '';
  dialog.showModal();
  dialog.addEventListener('close', () => {
    if (opener && opener.isConnected) opener.focus();
    else setCurrent(currentItem());
  }, { once: true });
}

function askReason(li) {
  const dialog = document.getElementById('reject-dialog');
  if (!dialog || !li) return;
  const select = li.querySelector('select[name=reason]');
  const chosen = dialog.querySelector('select[name=reason]');
  if (select) chosen.value = select.value;
  openDialog(dialog, li.querySelector('[data-item]'));
  chosen.focus();
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'reject') act(li, 'reject', { reason: chosen.value });
  }, { once: true });
}

async function drawerData(commentId) {
  return api('GET', `/comments/${commentId}/author`);
}

async function askBan(li) {
  if (!li) return;
  let author;
  try {
    author = await drawerData(li.dataset.id);
  } catch (error) {
    const reason = error.status === 404 ? 'not available for this author' : error.message;
    announce(`Banning is ${reason}.`);
    showToast(`Banning is ${reason}.`, null);
    return;
  }
  const dialog = document.getElementById('ban-dialog');
  const name = author.names[0] || li.dataset.author || 'this author';
  dialog.querySelector('[data-ban-text]').textContent =
    `Ban ${name}? Their new comments on this site are refused until the ban is lifted (in the author drawer).`;
  openDialog(dialog, li.querySelector('[data-item]'));
  dialog.querySelector('button[value=cancel]').focus();
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'ban') return;
    try {
      await api('POST', `/authors/${encodeURIComponent(author.author_key)}/sanctions?site=${author.site_id}`, { kind: 'ban' });
      announce(`${name} is banned.`);
      showToast(`${name} is banned.`, null);
    } catch (error) {
      announce(`${name} was not banned: ${error.message}.`);
    }
  }, { once: true });
}

// -- the author drawer --------------------------------------------------------------------
const drawer = document.getElementById('drawer');
let drawerComment = null;

function when(text) { return text ? text.replace('T', ' ').slice(0, 16) + ' UTC' : '—'; }

function drawerSection(title, ...children) {
  return el('section', {}, el('h3', { text: title }), ...children);
}

function renderDrawer(data) {
  const body = drawer.querySelector('[data-drawer-body]');
  const title = drawer.querySelector('#drawer-title');
  title.textContent = data.names[0] || 'Anonymous';
  const rate = data.approval_rate === null
    ? 'nothing decided yet'
    : `${Math.round(data.approval_rate * 100)} % (${data.approved} of ${data.decided} decided)`;
  const facts = el('dl', { className: 'facts' },
    el('dt', { text: 'Comments' }), el('dd', { text: String(data.comments_count) }),
    el('dt', { text: 'Approval rate' }), el('dd', { text: rate }),
    el('dt', { text: 'First seen' }), el('dd', { text: when(data.first_seen) }),
    el('dt', { text: 'Last seen' }), el('dd', { text: when(data.last_seen) }),
    el('dt', { text: 'Also known as' }), el('dd', { text: data.names.slice(1).join(', ') || '—' }));

  const sanctions = el('ul');
  for (const s of data.sanctions) {
    const line = el('li', {}, el('strong', { text: s.kind.replace('_', ' ') }),
      ` by ${s.by}, ${s.in_force ? 'in force' : 'not in force'}${s.until ? ` until ${when(s.until)}` : ''}${s.note ? ` (${s.note})` : ''} `);
    if (s.in_force) {
      const lift = el('button', { type: 'button', className: 'secondary', text: 'Lift' });
      lift.addEventListener('click', () => sanctionChange(data, 'DELETE', `/sanctions/${s.id}`, undefined, `Lifted the ${s.kind}.`));
      line.append(lift);
    }
    sanctions.append(line);
  }
  if (!data.sanctions.length) sanctions.append(el('li', { text: 'None.' }));
  const buttons = el('div', { className: 'sanction-buttons' });
  const choices = [['warn', 'Warn'], ['suspend', 'Suspend 7 days'], ['ban', 'Ban'], ['always_hold', 'Always hold']];
  for (const [kind, label] of choices) {
    const button = el('button', { type: 'button', className: kind === 'ban' ? 'danger' : 'secondary', text: label });
    button.addEventListener('click', () => {
      const wanted = { kind };
      if (kind === 'suspend') wanted.until = new Date(Date.now() + 7 * 86400000).toISOString();
      sanctionChange(data, 'POST', `/authors/${encodeURIComponent(data.author_key)}/sanctions?site=${data.site_id}`, wanted, `${label}: done.`);
    });
    buttons.append(button);
  }

  const notes = el('ul');
  for (const n of data.notes) notes.append(el('li', {}, el('span', { className: 'muted', text: `${when(n.created_at)}: ` }), n.body));
  if (!data.notes.length) notes.append(el('li', { text: 'No notes yet.' }));
  const noteForm = el('form', { className: 'note-form' },
    el('label', { for: 'drawer-note', text: 'Add a note' }),
    el('textarea', { id: 'drawer-note', name: 'body', rows: '3', maxlength: '2000' }),
    el('button', { type: 'submit', text: 'Save the note' }));
  noteForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = noteForm.querySelector('textarea').value.trim();
    if (!text) return;
    await sanctionChange(data, 'POST', `/authors/${encodeURIComponent(data.author_key)}/notes?site=${data.site_id}`, { body: text }, 'Note saved.');
  });

  const comments = el('ul');
  for (const c of data.comments.slice(0, 50)) {
    const decided = c.decisions.filter((d) => !d.undone_at).map((d) => d.action).join(', ');
    comments.append(el('li', {},
      el('a', { href: `/admin/comments/${c.id}`, text: c.thread_title || c.thread_key }),
      el('span', { className: 'muted', text: ` · ${STATUS_NAMES[c.status] || c.status} · ${when(c.created_at)}` }),
      el('div', { text: c.body_md.length > 200 ? `${c.body_md.slice(0, 200)}…` : c.body_md }),
      el('div', { className: 'muted', text: `Verdict: ${c.verdict_action || 'none'}${c.verdict_labels.length ? ` (${c.verdict_labels.join(', ')})` : ''}${decided ? ` · decisions: ${decided}` : ''}` })));
  }
  if (!data.comments.length) comments.append(el('li', { text: 'None.' }));

  body.replaceChildren(
    facts,
    drawerSection('Sanctions', sanctions, buttons),
    drawerSection('Notes', notes, noteForm),
    drawerSection(`Comments (newest ${Math.min(50, data.comments.length)} of ${data.comments_count})`, comments));
}

async function sanctionChange(data, method, path, body, message) {
  try {
    await api(method, path, body);
    announce(message);
    await loadDrawer(drawerComment);
  } catch (error) {
    announce(`Not done: ${error.message}.`);
    showToast(`Not done: ${error.message}.`, null);
  }
}

async function loadDrawer(commentId) {
  try {
    renderDrawer(await drawerData(commentId));
  } catch (error) {
    const body = drawer.querySelector('[data-drawer-body]');
    drawer.querySelector('#drawer-title').textContent = 'Author';
    const text = error.status === 404 ? 'The author’s details are not available.' : `Could not load the author: ${error.message}.`;
    body.replaceChildren(el('p', { text }));
  }
}

async function openDrawer(button) {
  if (!drawer) return;
  drawerComment = button.dataset.commentId;
  drawer.querySelector('#drawer-title').textContent = button.textContent.trim() || 'Author';
  drawer.querySelector('[data-drawer-body]').replaceChildren(el('p', { text: 'Loading…' }));
  openDialog(drawer, button);
  drawer.querySelector('.drawer-head button').focus();
  await loadDrawer(drawerComment);
}

// -- "N new" ------------------------------------------------------------------------------
// The moderators' event stream (ids only) says when a queue changes; the queue API, read
// with this page's filter, says how many new items that makes. The API is polled every
// POLL_MS only while the stream is down, and on "recent", which lists published comments
// too (the stream tells of queue changes only).
const pill = document.querySelector('[data-new-pill]');
let newest = 0;
const announced = new Set();  // ids the stream said entered this queue (an undo, a report: older ids too)
let polling = false;
let pollAgain = false;
let pollLater = false;  // asked while this page's own decision was in flight
let missed = false;  // the stream spoke while the page was hidden
let pollTimer = 0;
let acting = 0;  // this page's own decisions in flight
const deferred = [];  // others' decisions heard meanwhile

function noteNewest() {
  for (const li of items()) newest = Math.max(newest, Number(li.dataset.id));
}

async function poll() {
  if (!pill || !page.hasAttribute('data-first-page')) return;
  if (document.hidden) { missed = true; return; }
  if (acting) { pollLater = true; return; }  // count once the answer is applied (undo puts items back)
  if (polling) { pollAgain = true; return; }
  polling = true;
  try {
    do {
      pollAgain = false;
      await countNew();
    } while (pollAgain);
  } finally {
    polling = false;
  }
}

async function countNew() {
  const query = new URLSearchParams({ queue: page.dataset.queue, q: page.dataset.q, order: 'newest', limit: '50' });
  try {
    const found = await api('GET', `/queue?${query}`);
    const shown = new Set(items().map((li) => Number(li.dataset.id)));
    const fresh = found.items.filter((item) => !shown.has(item.id) && (item.id > newest || announced.has(item.id))).length;
    if (fresh && pill.dataset.count !== String(fresh)) announce(`${fresh} new comment${fresh === 1 ? '' : 's'} in this queue.`);
    pill.dataset.count = String(fresh);
    pill.textContent = `${fresh >= 50 ? '50+' : fresh} new`;
    pill.hidden = fresh === 0;
  } catch {
    // The next event or poll tries again; a lost session shows on the next action.
  }
}

function startPolling() {
  if (!pollTimer && pill && page.hasAttribute('data-first-page')) pollTimer = window.setInterval(poll, POLL_MS);
}
function stopPolling() {
  if (page.dataset.queue === 'recent') return;
  window.clearInterval(pollTimer);
  pollTimer = 0;
}

function heard(message) {
  let event;
  try { event = JSON.parse(message.data); } catch { return; }
  if (!event || typeof event !== 'object' || event.type === 'alert') return;  // alerts.js's
  if (event.type === 'resync') {
    poll();
    if (page.classList.contains('detail-page')) refreshDetail();
    return;
  }
  if (event.type === 'decided') otherDecision(event);
  else if (page.classList.contains('detail-page') && document.querySelector(`[data-items] > li.item[data-id="${Number(event.id)}"]`)) refreshDetail();
  const queue = page.dataset.queue;
  if (queue && (queue === 'recent' || event.queue === queue)) {
    announced.add(event.id);
    poll();
  }
}

// Another moderator (or another tab) decided: the item leaves a queue it no longer belongs
// to, or shows its new status. Heard while this page's own decision is in flight, it waits
// until that answer was applied (the event may be that very decision's).
function otherDecision(event) {
  if (acting) { deferred.push(event); return; }
  const li = document.querySelector(`[data-items] > li.item[data-id="${Number(event.id)}"]`);
  if (!li) return;
  if (page.classList.contains('detail-page')) { refreshDetail(); return; }
  const queue = page.dataset.queue;
  if (LEAVES[queue] && event.queue !== queue) {
    const wasCurrent = li.classList.contains('is-current');
    const hadFocus = li.contains(document.activeElement);
    const after = wasCurrent ? nextAfter([li]) : null;
    li.remove();
    adjustCount(-1);
    showEmpty();
    updateSelection();
    if (wasCurrent) setCurrent(after, hadFocus);
    announce(`Comment ${event.id} was decided by another moderator.`);
    return;
  }
  api('GET', `/comments/${Number(event.id)}`).then((detail) => {
    if (detail && detail.comment) setStatus(li, detail.comment.status);
  }).catch(() => {});
}

function flushDeferred() {
  for (const event of deferred.splice(0)) otherDecision(event);
  if (pollLater) { pollLater = false; poll(); }
}

function listen() {
  if (page.dataset.queue === 'recent') startPolling();
  if (!page.dataset.queue && !page.classList.contains('detail-page')) return;
  if (!('EventSource' in window)) { startPolling(); return; }
  const source = new EventSource(`${API}/events`);  // same origin: the session cookie goes along
  source.addEventListener('change', heard);
  // (Re)connected: catch up on what a gap may have hidden, and stop polling.
  source.addEventListener('open', () => { page.dataset.stream = 'open'; stopPolling(); poll(); });
  // EventSource reconnects by itself (the server's retry hint); meanwhile, poll.
  source.addEventListener('error', () => { page.dataset.stream = 'down'; startPolling(); });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && missed) { missed = false; poll(); }
  });
}

async function loadNew() {
  const address = new URL(window.location.href);
  for (const name of ['done', 'count', 'undo', 'cursor']) address.searchParams.delete(name);
  const answer = await fetch(address, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
  if (!answer.ok) { announce('Could not load the new comments.'); return; }
  // The server escaped every text in this page; its nodes are moved here, never re-parsed.
  const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html');
  const list = document.querySelector('[data-items]');
  const incoming = fresh.querySelector('[data-items]');
  const before = new Set(items().map((li) => li.dataset.id));
  list.replaceChildren(...[...incoming.children].map((node) => document.adoptNode(node)));
  const tabs = document.querySelector('.tabs');
  const freshTabs = fresh.querySelector('.tabs');
  if (tabs && freshTabs) tabs.replaceWith(document.adoptNode(freshTabs));
  pill.hidden = true;
  pill.dataset.count = '0';
  noteNewest();
  showEmpty();
  updateSelection();
  const added = items().filter((li) => !before.has(li.dataset.id));
  announce(`${added.length} new comment${added.length === 1 ? '' : 's'} loaded.`);
  setCurrent(added[0] || items()[0] || null);
}

// One comment's page: after a decision, its buttons, decisions and reports as the server
// now sees them (the server's escaped nodes, moved in, as for "N new").
async function refreshDetail() {
  const answer = await fetch(window.location.pathname, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
  if (!answer.ok) return;
  const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html');
  const hadFocus = page.contains(document.activeElement);
  for (const selector of ['[data-items]', '#reports', 'section[aria-labelledby=decisions-title]', 'section[aria-labelledby=verdicts-title]']) {
    const here = document.querySelector(selector);
    const there = fresh.querySelector(selector);
    if (here && there) here.replaceWith(document.adoptNode(there));
  }
  const first = items()[0];
  if (first) setCurrent(first, hadFocus);
}

// -- wiring -------------------------------------------------------------------------------
function isTyping(target) {
  if (!target || !target.closest) return false;
  if (target.closest('textarea, select, [contenteditable=""], [contenteditable="true"]')) return true;
  const input = target.closest('input');
  return Boolean(input) && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(input.type);
}

function onKey(event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
  const li = itemOf(event.target) || currentItem();
  const on = (fn) => { event.preventDefault(); fn(); };
  switch (event.key) {
    case 'j': return on(() => move(1));
    case 'k': return on(() => move(-1));
    case '?': return on(() => openDialog(document.getElementById('help'), document.activeElement));
    case 'u': return pendingUndo ? on(runUndo) : undefined;
    default: break;
  }
  if (!li) return;
  switch (event.key) {
    case 'a': return on(() => act(li, 'approve'));
    case 'r': return on(() => askReason(li));
    case 's': return on(() => act(li, 'spam'));
    case 'b': return on(() => askBan(li));
    case 'x': return on(() => toggleSelect(li));
    case 'Enter':
      if (event.target.matches('[data-item]')) on(() => { window.location.href = `/admin/comments/${li.dataset.id}`; });
      return undefined;
    default: return undefined;
  }
}

function onSubmit(event) {
  const form = event.target;
  const submitter = event.submitter;
  if (form.matches('[data-actions]')) {
    event.preventDefault();
    const li = itemOf(form);
    const action = submitter ? submitter.value : '';
    if (!action) return;
    setCurrent(li, false);
    act(li, action, action === 'reject' ? { reason: form.querySelector('[name=reason]').value } : {});
  } else if (form.matches('[data-edit]')) {
    event.preventDefault();
    const li = itemOf(form);
    const text = form.querySelector('textarea').value;
    act(li, 'edit', { body: text }).then((result) => {
      if (!result) return;
      li.querySelector('[data-text]').textContent = text.trim();
      form.closest('details').open = false;
    });
  } else if (form.id === 'bulk') {
    event.preventDefault();
    bulk(form, submitter ? submitter.value : 'ids');
  }
}

function start() {
  if (!page || !main) return;
  document.addEventListener('keydown', onKey);
  document.addEventListener('submit', onSubmit);
  document.addEventListener('change', (event) => { if (event.target.matches('[data-select]')) updateSelection(); });
  document.addEventListener('focusin', (event) => {
    const li = itemOf(event.target);
    if (li && !li.classList.contains('is-current')) setCurrent(li, false);
  });
  document.addEventListener('click', (event) => {
    const author = event.target.closest('[data-author-open]');
    if (author) { event.preventDefault(); openDrawer(author); }
    if (event.target.closest('[data-help]')) openDialog(document.getElementById('help'), event.target.closest('[data-help]'));
  });
  for (const dialog of document.querySelectorAll('dialog')) {
    // A click on the backdrop (outside the box) closes a dialog, as Escape does.
    dialog.addEventListener('click', (event) => {
      if (event.target !== dialog) return;
      const box = dialog.getBoundingClientRect();
      const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) dialog.close();
    });
  }
  const rejectDialog = document.getElementById('reject-dialog');
  if (rejectDialog) {
    // r, then Enter: rejects with the reason shown (the arrow keys change it first).
    const form = rejectDialog.querySelector('form');
    rejectDialog.querySelector('select').addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      form.requestSubmit(form.querySelector('button[value=reject]'));
    });
  }
  if (pill) pill.addEventListener('click', loadNew);
  for (const button of document.querySelectorAll('[data-help]')) button.hidden = false;  // keys need this file
  noteNewest();
  showEmpty();
  updateSelection();
  const first = items()[0];
  if (first) setCurrent(first, false);
  listen();
}

start();
