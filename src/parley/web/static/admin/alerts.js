// Thread alerts in the console. On the Alerts page: Dismiss, Resolve and the branch's
// actions over the JSON API, and "N new alerts" from the moderators' event stream. On the
// queue and comment pages: a "derailing branch" marker on comments an open alert names.
// The Alerts page works without this file: every button is also a plain form.

const API = '/api/v1/admin';
const main = document.getElementById('main');
const csrf = main ? main.dataset.csrfToken || '' : '';
const page = document.querySelector('.alerts-page');
const live = document.querySelector('[data-live]');

async function api(method, path) {
  const answer = await fetch(API + path, { method, credentials: 'same-origin', headers: { Accept: 'application/json', 'X-CSRF-Token': csrf } });
  let data = null;
  try { data = await answer.json(); } catch { data = null; }
  if (!answer.ok) throw new Error((data && data.detail) || answer.statusText || 'failed');
  return data;
}

function announce(message) {
  if (!live) return;
  live.textContent = '';
  window.setTimeout(() => { live.textContent = message; }, 50);
}

// -- the Alerts page: actions ---------------------------------------------------------------
// Each rule's button, by the branch's state (the author API's BranchOut): the action and label
// while the rule is on, and while it is off (null: only an alert's step puts it on, so no button).
const RULE_BUTTONS = {
  locked: { on: ['unlock', 'Unlock branch'], off: ['lock', 'Lock branch'] },
  hold_replies: { on: ['release', 'Release replies'], off: ['hold-replies', 'Hold replies'] },
  flag_replies: { on: ['unflag', 'Stop flagging replies'], off: null },
  slow: { on: ['unslow', 'Stop slowing replies'], off: null },
};
// As alerts.html names them, in its order.
const RULE_NAMES = { locked: 'locked', hold_replies: 'new replies held', flag_replies: 'new replies flagged', slow: 'new replies slowed' };
const SAID = {
  lock: 'Branch locked: no new replies under it.',
  unlock: 'Branch unlocked.',
  'hold-replies': 'New replies in the branch are held for review.',
  release: 'New replies in the branch are no longer held.',
  unflag: 'New replies in the branch are no longer flagged.',
  unslow: 'New replies in the branch are no longer slowed.',
};

async function closeAlert(li, action) {
  const id = li.dataset.alertId;
  const alert = await api('POST', `/alerts/${id}/${action}`);
  if (page.dataset.status === 'open') li.remove();
  else {
    li.querySelector('[data-alert-status]').textContent = alert.status;
    for (const button of li.querySelectorAll('[data-close]')) button.remove();
  }
  showEmpty();
  announce(`Alert ${id} ${alert.status}.`);
}

async function branchAction(li, button) {
  const action = button.dataset.branch;
  const state = await api('POST', `/branches/${li.dataset.branchRoot}/${action}`);
  for (const each of li.querySelectorAll('[data-rule]')) {
    const shown = RULE_BUTTONS[each.dataset.rule][state[each.dataset.rule] ? 'on' : 'off'];
    each.hidden = !shown;
    if (!shown) continue;
    each.dataset.branch = shown[0];
    each.textContent = shown[1];
    each.setAttribute('formaction', `/admin/alerts/${li.dataset.alertId}/${shown[0]}`);
  }
  const on = Object.keys(RULE_NAMES).filter((rule) => state[rule]).map((rule) => RULE_NAMES[rule]);
  li.querySelector('[data-rules]').textContent = on.length ? on.join(', ') : 'no rules (open to replies)';
  announce(SAID[action]);
  if (button.hidden) li.querySelector('[data-close], [data-rule]:not([hidden])').focus();
}

async function onSubmit(event) {
  const button = event.submitter;
  const li = event.target.closest('li[data-alert-id]');
  if (!li || !button) return;
  event.preventDefault();
  button.disabled = true;
  try {
    if (button.dataset.close) await closeAlert(li, button.dataset.close);
    else if (button.dataset.branch) await branchAction(li, button);
  } catch (error) {
    announce(`Not done: ${error.message}.`);
  } finally {
    button.disabled = false;
  }
}

function showEmpty() {
  const list = document.querySelector('[data-alerts]');
  let empty = document.querySelector('[data-empty]');
  if (!empty) {
    empty = Object.assign(document.createElement('p'), { className: 'empty', textContent: 'No alerts here now.' });
    empty.dataset.empty = '';
    list.after(empty);
  }
  empty.hidden = list.children.length > 0;
}

// -- the Alerts page: "N new alerts" --------------------------------------------------------
const pill = document.querySelector('[data-new-alerts]');
const heardIds = new Set();

function heard(message) {
  let event;
  try { event = JSON.parse(message.data); } catch { return; }
  if (!event || typeof event !== 'object') return;
  if (event.type === 'resync') { heardIds.add('resync'); showPill(); return; }
  if (event.type !== 'alert') return;
  if (page.dataset.site && String(event.site) !== page.dataset.site) return;
  if (document.getElementById(`alert-${Number(event.id)}`)) return;
  heardIds.add(Number(event.id));
  showPill();
}

function showPill() {
  const n = [...heardIds].filter((id) => id !== 'resync').length;
  pill.textContent = n ? `${n} new alert${n === 1 ? '' : 's'}` : 'Alerts changed: reload';
  pill.hidden = false;
  announce(pill.textContent);
}

// The server escaped every text of the page; its nodes are moved here, never re-parsed.
async function loadNew() {
  const address = new URL(window.location.href);
  address.searchParams.delete('done');
  const answer = await fetch(address, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
  if (!answer.ok) { announce('Could not load the new alerts.'); return; }
  const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html');
  const list = document.querySelector('[data-alerts]');
  list.replaceChildren(...[...fresh.querySelector('[data-alerts]').children].map((node) => document.adoptNode(node)));
  heardIds.clear();
  pill.hidden = true;
  showEmpty();
  announce(`${list.children.length} alert${list.children.length === 1 ? '' : 's'} shown.`);
  const first = list.querySelector('article');
  if (first) first.querySelector('a, button').focus();
}

function listen() {
  const wanted = ['open', 'all'].includes(page.dataset.status) && page.hasAttribute('data-first-page');
  if (!pill || !wanted || !('EventSource' in window)) return;
  const source = new EventSource(`${API}/events`);
  source.addEventListener('change', heard);
  source.addEventListener('open', () => { page.dataset.stream = 'open'; });
  pill.addEventListener('click', loadNew);
}

// -- the queue and comment pages: which comments an open alert names --------------------------
async function markDerailing(items) {
  let found;
  try { found = await api('GET', '/alerts?status=open&limit=200'); } catch { return; }
  const named = new Map();
  for (const alert of found.alerts) {
    for (const id of [alert.at_comment, alert.branch_root]) if (!named.has(id)) named.set(id, alert);
  }
  for (const li of items.querySelectorAll('li.item[data-id]')) {
    const alert = named.get(Number(li.dataset.id));
    const head = li.querySelector('.item-head');
    if (!alert || !head || li.querySelector('[data-derailing]')) continue;
    const link = Object.assign(document.createElement('a'), {
      className: 'badge derailing',
      href: `/admin/alerts?status=open#alert-${alert.id}`,
      textContent: 'derailing branch',
    });
    link.dataset.derailing = String(alert.id);
    link.title = `Alert ${alert.id}: ${alert.reasons.join('; ')}`;
    head.append(link);
  }
}

if (page) {
  document.addEventListener('submit', onSubmit);
  listen();
} else {
  const items = document.querySelector('[data-items]');
  if (items) {
    markDerailing(items);
    // "N new" replaces the queue's items: mark the ones it brings too.
    new MutationObserver(() => markDerailing(items)).observe(items, { childList: true });
  }
}
