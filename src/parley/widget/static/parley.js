/* Parley widget: <parley-comments> and <parley-count>. Plain ES2020, no build step, no dependencies.
   Embedding, attributes and theming: src/parley/widget/README.md. */
(() => {
  'use strict';
  const HERE = new URL('.', document.currentScript?.src || location.href);
  const DEFAULT_API = new URL('..', HERE).href.replace(/\/$/, '');
  // The stylesheet comes from the comment server, cross-origin. When that server is down or does not
  // serve this site, the fetch fails like the comments do: a few built-in rules style the one message.
  const FALLBACK = ':host{color-scheme:light dark}:host([theme=light]){color-scheme:light}:host([theme=dark]){color-scheme:dark}'
    + '.p{all:initial;display:block;font:15px/1.55 system-ui,sans-serif;color:CanvasText}[hidden]{display:none!important}'
    + '.status{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:1rem 0;padding:.75rem 1rem;border:1px solid GrayText;border-radius:8px}'
    + 'button{font:600 .9em system-ui,sans-serif;color:inherit;background:Canvas;border:1px solid GrayText;border-radius:8px;padding:.45rem 1rem}';
  const sheet = (css) => { const s = new CSSStyleSheet(); s.replaceSync(css); return s; };
  const SHEET = fetch(new URL('parley.css', HERE))
    .then((r) => (r.ok ? r.text() : Promise.reject()))
    .then(sheet, () => sheet(FALLBACK));

  // English is built in; the other catalogues (i18n/LANG.json beside this file) load when asked for.
  // A [one, other] pair, or an object of Intl.PluralRules categories (Arabic has six), is chosen by
  // Intl.PluralRules; {n} (in the language's digits) and {name} are filled in.
  const EN = {
    comments: 'Comments', count: ['{n} comment', '{n} comments'], fresh: ['{n} new comment', '{n} new comments'],
    more: ['Show {n} more comment', 'Show {n} more comments'], show: ['Show {n} reply', 'Show {n} replies'],
    hide: 'Hide replies', cont: ['Continue this thread ({n} reply)', 'Continue this thread ({n} replies)'],
    replies: ['{n} new reply', '{n} new replies'], all: 'Back to all comments', posted: 'Your comment is published.', sort: 'Sort comments', oldest: 'Oldest', newest: 'Newest', top: 'Top',
    reply: 'Reply', edit: 'Edit', del: 'Delete', sure: 'Delete for good?', cancel: 'Cancel', save: 'Save',
    post: 'Post comment', answer: 'Post reply', preview: 'Preview', write: 'Write', body: 'Your comment (Markdown)',
    hint: 'Markdown: **bold**, *italic*, [link](https://…), > quote', ask: 'Join the discussion…',
    name: 'Name', email: 'Email (never shown)', website: 'Website', anon: 'Anonymous', deleted: 'This comment was deleted.',
    edited: 'edited', who: '{name}, {n}', held: 'Awaiting review: a moderator will read it soon. Until it is approved, only you can see it; then everyone can.', re: 'replying to {name}',
    up: 'Upvote', down: 'Downvote', locked: 'Comments are closed.', loading: 'Loading comments…',
    failed: 'The comments could not be loaded: the comment server did not answer, or does not serve this site.', retry: 'Try again', nothing: 'Nothing to preview yet.', noimg: 'Images are not shown in comments: readers see their description instead.',
    unrendered: 'The preview could not be rendered. Try again.',
    e0: 'Could not reach the comment server. Check your connection and try again.',
    e1000: 'The request was garbled on its way. Reload the page and try again.',
    e1001: 'Something in the form is missing or invalid.', e1002: 'This could not be accepted.',
    e_empty: 'Write something first.', e_long: 'Your comment is too long: at most {n} characters.',
    e_name: 'The name is too long.', e_email: 'That email address does not look right.',
    e_website: 'The website must start with http:// or https://.', e1004: 'That comment no longer exists.',
    e2000: 'Only the author can change this comment, from the browser it was written in.',
    e2001: 'The time for changing this comment is over.', e2002: 'This thread is locked: it takes no new comments.',
    e2003: 'This site may not post comments to this server.', e2010: 'Your comment was not published.',
    e2050: 'This could not be accepted.', e2051: 'This conversation is closed: it takes no new replies.',
    e2029: 'You are posting too fast. Try again in {n} seconds.',
    e5003: 'The comment server is having trouble. Try again in a moment.', e: 'Something went wrong. Try again.',
    report: 'Report', why: 'Why should a moderator look at this comment?', send: 'Send report',
    thanks: 'Reported. Thank you.', e_reason: 'Choose a reason.', r_spam: 'Spam or advertising',
    r_harassment: 'Harassment or abuse', r_hate: 'Hate against a group', r_threat: 'A threat',
    r_personal_data: "Someone's personal data", r_off_topic: 'Off topic', r_other: 'Something else',
  };
  const REASONS = ['spam', 'harassment', 'hate', 'threat', 'personal_data', 'off_topic', 'other'];
  const CATALOGUES = { en: Promise.resolve(EN) };
  const LANGUAGES = ['en', 'de', 'es', 'fr', 'ja', 'zh', 'ar', 'he'];
  const RTL = ['ar', 'he'];

  async function catalogue(wanted) {
    const lang = [wanted, ...navigator.languages, 'en']
      .map((l) => String(l || '').toLowerCase().split('-')[0]).find((l) => LANGUAGES.includes(l));
    CATALOGUES[lang] ??= fetch(new URL(`i18n/${lang}.json`, HERE)).then((r) => r.json()).catch(() => ({}));
    const strings = await CATALOGUES[lang];
    const plural = new Intl.PluralRules(lang), number = new Intl.NumberFormat(lang);
    const t = (key, n, name) => {
      let s = strings[key] ?? EN[key];
      if (Array.isArray(s)) s = s[plural.select(n) === 'one' ? 0 : 1];
      else if (typeof s === 'object') s = s[plural.select(n)] ?? s.other;
      // {name} by a function: a "$&" in an author's name stays as written
      return s.replace('{n}', typeof n === 'number' ? number.format(n) : n).replace('{name}', () => name);
    };
    t.lang = lang;
    return t;
  }

  const enc = encodeURIComponent;

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v == null) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    el.append(...children.filter((c) => c != null && c !== false));
    return el;
  }

  // A 5×5 mirrored pattern and a hue, both from the author's avatar hash.
  function identicon(hash) {
    const av = h('span', { class: 'av', 'aria-hidden': 'true' });
    if (!hash) return av;
    const bits = parseInt(hash.slice(2, 10), 16);
    let cells = '';
    for (let i = 0; i < 15; i++) {
      if (!((bits >>> i) & 1)) continue;
      const x = Math.floor(i / 5), y = i % 5;
      cells += `<rect x="${x}" y="${y}" width="1" height="1"/>`;
      if (x < 2) cells += `<rect x="${4 - x}" y="${y}" width="1" height="1"/>`;
    }
    av.style.setProperty('--hue', Math.round(parseInt(hash.slice(0, 2), 16) * 1.41));
    av.innerHTML = `<svg viewBox="-1 -1 7 7">${cells}</svg>`;
    return av;
  }

  const STEPS = [[60, 'second'], [60, 'minute'], [24, 'hour'], [7, 'day'], [4.35, 'week'], [12, 'month'], [Infinity, 'year']];
  function ago(date, lang) {
    let n = (date - Date.now()) / 1000;
    for (const [size, unit] of STEPS) {
      if (Math.abs(n) < size) return new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(Math.round(n), unit);
      n /= size;
    }
  }

  // What this browser remembers per Parley server: author token, identity, votes. Which comments are
  // the author's, their Markdown and edit deadline come from the server with the token.
  class Memory {
    constructor(api) {
      this.key = `parley:${api}`;
      try { this.data = JSON.parse(localStorage.getItem(this.key)) || {}; } catch { this.data = {}; }
      delete this.data.mine; // earlier versions kept each comment's Markdown and deadline here
      this.data.votes ??= {};
      this.data.reported ??= {};
    }

    save() { try { localStorage.setItem(this.key, JSON.stringify(this.data)); } catch { /* private mode: forget */ } }
  }

  const voteButton = (value, label, voted) => h('button', {
    type: 'button', 'data-act': 'vote', 'data-value': value, 'aria-label': label, 'aria-pressed': String(voted === value),
  }, value > 0 ? '▲' : '▼');

  const ROVE = '.meta a, .actions button';
  const changed = (a, b) => ['html', 'votes', 'status', 'edited_at', 'mine'].some((k) => a[k] !== b[k]);

  class ParleyComments extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return this.listen();
      this.api = (this.getAttribute('api') || DEFAULT_API).replace(/\/$/, '');
      this.key = this.getAttribute('thread') || location.pathname;
      // `title` would show as a tooltip over the whole widget: keep its value, drop the attribute.
      this.pageTitle = this.getAttribute('title') || document.title;
      this.removeAttribute('title');
      this.sort = this.getAttribute('sort') || 'oldest';
      this.maxDepth = Number(this.getAttribute('max-depth')) || 3;
      this.continueAt = Number(this.dataset.continue) || 6;
      this.collapse = Number(this.dataset.collapse) || 10;
      this.root = this.base = 0; // "continue this thread": one branch shown alone, from its depth
      this.pageSize = Number(this.getAttribute('page-size')) || 50;
      this.memory = new Memory(this.api);
      this.items = new Map();
      this.pending = new Set();
      this.own = new Set();
      this.writing = 0;
      this.queue = Promise.resolve();
      this.attachShadow({ mode: 'open' });
      this.start();
    }

    disconnectedCallback() {
      this.events?.close();
      this.events = null;
      clearInterval(this.clock);
      removeEventListener('hashchange', this.onHash);
    }

    async start() {
      const root = this.shadowRoot;
      const [sheet, t] = await Promise.all([SHEET, catalogue(this.getAttribute('lang'))]);
      root.adoptedStyleSheets = [sheet];
      this.t = t;
      this.heading = h('h2');
      this.sorter = h('div', { class: 'sort', role: 'group', 'aria-label': t('sort') },
        ...['oldest', 'newest', 'top'].map((s) => h('button', { type: 'button', 'data-act': 'order', 'data-sort': s }, t(s))));
      this.top = h('div', { class: 'top' });
      this.news = h('div', { class: 'news' });
      this.back = h('button', { type: 'button', class: 'ghost', 'data-act': 'all', hidden: true }, t('all'));
      // A feed of comments (articles), each named by its author and time; replies are feeds inside.
      // A feed holds articles: with none yet, it stays hidden.
      this.tree = h('div', { class: 'tree', role: 'feed', 'aria-label': t('comments'), hidden: true });
      this.foot = h('div', { class: 'foot' });
      this.status = h('p', { class: 'status', role: 'status' }, t('loading'));
      this.said = h('p', { class: 'sr', 'aria-live': 'polite' });
      this.head = h('div', { class: 'head' }, this.heading, this.sorter);
      // Arabic and Hebrew read right to left on any page; otherwise the widget follows the page.
      this.box = h('div', { class: 'p', lang: t.lang, dir: RTL.includes(t.lang) && 'rtl' }, this.head,
        this.top, this.status, this.news, this.back, this.tree, this.foot, this.said);
      root.replaceChildren(this.box);
      root.addEventListener('click', (e) => this.onClick(e));
      root.addEventListener('keydown', (e) => this.onKey(e));
      root.addEventListener('focusin', (e) => this.rove(e.target));
      this.onHash = () => { const m = /^#c(\d+)$/.exec(location.hash); if (m) this.reveal(Number(m[1])); };
      await this.reload();
      this.clock = setInterval(() => {
        for (const time of root.querySelectorAll('time')) time.textContent = ago(new Date(time.dateTime), t.lang);
        for (const el of this.items.values()) this.name(el);
      }, 60000);
    }

    listen() {
      addEventListener('hashchange', this.onHash);
      if (this.events || !this.list) return;
      this.events = new EventSource(`${this.api}/api/v1/events?thread=${enc(this.key)}`);
      let soon;
      const later = () => { clearTimeout(soon); soon = setTimeout(() => this.sync(), 80); };
      this.events.addEventListener('change', later);
      this.events.addEventListener('open', later); // after a reconnect, catch up on what was missed
    }

    // -- talking to the server ------------------------------------------------------------
    async call(path, { method = 'GET', body, etag } = {}) {
      const headers = {};
      if (body) headers['content-type'] = 'application/json';
      if (this.memory.data.token) headers['x-author-token'] = this.memory.data.token;
      if (etag) headers['if-none-match'] = etag;
      let res;
      try {
        res = await fetch(`${this.api}/api/v1${path}`, { method, headers, body: body && JSON.stringify(body) });
      } catch {
        throw { code: 0 };
      }
      if (res.ok || res.status === 304) return res;
      const problem = await res.json().catch(() => ({}));
      throw { code: -1, ...problem, retry: res.headers.get('retry-after') };
    }

    explain(p) {
      const t = this.t;
      if (p.code === 1002) {
        const limit = /\d+/.exec(p.detail || '')?.[0];
        const key = { body: limit ? 'e_long' : 'e_empty', name: 'e_name', email: 'e_email', website: 'e_website' }[p.field];
        return t(key || 'e1002', limit);
      }
      if (p.code === 2029) return t('e2029', p.retry || 60);
      return EN[`e${p.code}`] ? t(`e${p.code}`) : t('e');
    }

    // The first page, then as many more as the reader had opened (top-level branches, whole).
    async fetchThread() {
      const path = `/comments?thread=${enc(this.key)}&sort=${this.sort}`;
      const res = await this.call(path, { etag: this.pages > 1 ? null : this.etag });
      if (res.status === 304) return false;
      this.etag = res.headers.get('etag');
      let data = await res.json(), list = data.comments;
      for (let n = 1; data.next && n < this.pages; n++) {
        data = await (await this.call(`${path}&after=${enc(data.next)}`)).json();
        list = list.concat(data.comments);
      }
      this.index(data, list);
      return true;
    }

    async nextPage() {
      const res = await this.call(`/comments?thread=${enc(this.key)}&sort=${this.sort}&after=${enc(this.next)}`);
      const data = await res.json();
      this.pages++;
      this.index(data, this.list.concat(data.comments.filter((c) => !this.byId.has(c.id))));
    }

    index(data, list) {
      this.thread = data.thread;
      this.next = data.next;
      this.list = list;
      this.byId = new Map(list.map((c) => [c.id, c]));
      this.kids = new Map();
      for (const c of list) {
        if (!this.kids.has(c.parent_id)) this.kids.set(c.parent_id, []);
        this.kids.get(c.parent_id).push(c);
      }
    }

    // -- rendering ---------------------------------------------------------------------------
    async reload() {
      this.etag = null;
      this.pages = 1;
      try {
        await this.fetchThread();
      } catch (p) {
        this.status.replaceChildren(h('span', {}, p.code ? this.explain(p) : this.t('failed')),
          h('button', { type: 'button', class: 'ghost', 'data-act': 'retry' }, this.t('retry')));
        this.head.hidden = !this.thread; // nothing loaded yet: the message is all there is
        return;
      }
      this.head.hidden = false;
      this.status.hidden = true;
      this.pending.clear();
      this.news.replaceChildren();
      this.root = this.base = this.fresh = 0;
      this.draw();
      this.header();
      if (!this.top.firstChild || this.thread.locked) {
        this.top.replaceChildren(this.thread.locked ? h('p', { class: 'locked' }, this.t('locked')) : this.form({}));
      }
      this.listen();
      this.onHash();
    }

    header() {
      this.heading.textContent = this.t('count', this.thread.count);
      for (const b of this.sorter.children) b.setAttribute('aria-pressed', b.dataset.sort === this.sort);
    }

    // The whole thread from its first page, or (`root`) one deep branch alone from the left edge.
    draw() {
      this.items.clear();
      this.tree.replaceChildren();
      this.back.hidden = !this.root;
      if (!this.root) return (this.end = 0, this.showMore());
      const ids = new Set([this.root]);
      this.place(this.byId.get(this.root));
      this.placeAll(this.list.filter((c) => ids.has(c.parent_id) && ids.add(c.id)));
      this.end = this.list.length;
      this.footer();
    }

    open(id) {
      this.root = id;
      this.base = this.byId.get(id)?.depth || 0;
      this.draw();
      this.focus(this.items.get(id) || this.tree.firstChild);
      this.box.scrollIntoView();
    }

    // Replies below a comment, counted from the data (those not yet on screen too).
    size(id) {
      return (this.kids.get(id) || []).reduce((n, c) => n + 1 + this.size(c.id), 0);
    }

    // Where a new comment would appear: its nearest ancestor on screen (0: the top), or undefined
    // when it cannot appear yet (its branch is not on screen).
    anchor(c) {
      let p = c.parent_id;
      while (p && !this.items.has(p)) {
        if (!this.pending.has(p)) return;
        p = this.byId.get(p).parent_id;
      }
      return p || (this.root ? undefined : 0);
    }

    // Render whole top-level threads until about `pageSize` more comments are on screen.
    showMore(upTo = 0) {
      let end = Math.max(upTo, Math.min(this.end + this.pageSize, this.list.length));
      while (end < this.list.length && this.list[end].depth > 0) end++;
      const placed = this.placeAll(this.list.slice(this.end, end));
      this.end = end;
      this.footer();
      return placed[0];
    }

    // Place comments (parents before replies); a reply whose parent is not on screen waits.
    placeAll(comments) {
      const placed = [];
      for (const c of comments) {
        if (this.items.has(c.id)) continue;
        if (c.depth - this.base >= this.continueAt) { this.place(c); continue; }
        if (c.parent_id && !this.items.has(c.parent_id)) { this.pending.add(c.id); continue; }
        this.pending.delete(c.id);
        placed.push(this.place(c));
      }
      return placed;
    }

    // The next branches on screen, fetching the server's next page when these run out.
    async loadMore() {
      if (this.end >= this.list.length && this.next) await this.nextPage().catch(() => {});
      return this.showMore();
    }

    footer() {
      let left = this.list.slice(this.end).filter((c) => !this.pending.has(c.id)).length;
      if (this.next) left = Math.max(left + 1, this.thread.count - this.end);
      this.foot.replaceChildren(left > 0 ? h('button', { type: 'button', class: 'more', 'data-act': 'more' }, this.t('more', left)) : '');
      // New comments: "N new replies" under each parent on screen, and one sticky notice of them all.
      const at = new Map();
      for (const c of this.list) {
        const a = this.pending.has(c.id) ? this.anchor(c) : undefined;
        if (a !== undefined) at.set(a, (at.get(a) || 0) + 1);
      }
      for (const old of this.tree.querySelectorAll('.newre')) old.remove();
      for (const [id, n] of at) {
        if (id) this.items.get(id).querySelector(':scope > .slot').after(
          h('button', { type: 'button', class: 'newre', 'data-act': 'fresh', 'data-at': id }, this.t('replies', n)));
      }
      const fresh = [...at.values()].reduce((a, b) => a + b, 0);
      if (fresh > this.fresh) this.said.textContent = this.t('fresh', fresh);
      this.fresh = fresh;
      this.news.replaceChildren(fresh
        ? h('button', { type: 'button', class: 'fresh', 'data-act': 'fresh' }, this.t('fresh', fresh)) : '');
      for (const go of this.tree.querySelectorAll('.go')) go.textContent = this.t('cont', this.size(Number(go.closest('article').dataset.id)));
      for (const fold of this.tree.querySelectorAll('.fold[aria-expanded=false]')) this.setOpen(fold.closest('article'), false);
      if (!this.tree.querySelector('article[tabindex="0"]')) this.tree.querySelector('article')?.setAttribute('tabindex', 0);
      this.tree.hidden = !this.tree.firstChild;
      // Each comment's place in its feed, as the feed pattern asks (-1: more still to show).
      for (const feed of [this.tree, ...this.tree.querySelectorAll('[role=feed]')]) {
        const all = feed.querySelectorAll(':scope > article');
        all.forEach((a, i) => {
          a.setAttribute('aria-posinset', i + 1);
          a.setAttribute('aria-setsize', feed === this.tree && left > 0 ? -1 : all.length);
        });
      }
    }

    // A comment past the site's depth (`data-continue`) stays off screen: its parent offers
    // "Continue this thread", which shows that branch alone. Past `max-depth`, indents are compact.
    place(c) {
      const parent = this.items.get(c.parent_id);
      const level = c.depth - this.base;
      if (level >= this.continueAt) {
        if (parent && !parent.querySelector(':scope > .go')) parent.append(h('button', { type: 'button', class: 'go', 'data-act': 'go' }));
        return;
      }
      const item = h('article', { id: `c${c.id}`, tabindex: -1, 'data-id': c.id, 'data-depth': c.depth },
        this.card(c), h('div', { class: 'slot' }));
      this.name(item);
      this.items.set(c.id, item);
      let box = this.tree;
      if (parent) {
        box = parent.querySelector(':scope > .kids > div');
        if (!box) {
          box = h('div', { role: 'feed', id: `g${c.parent_id}`, class: level > this.maxDepth ? 'deep' : '' });
          parent.append(h('div', { class: 'kids' },
            h('button', { type: 'button', class: 'fold', 'data-act': 'fold', 'aria-controls': box.id }), box));
          // a long branch below a reply starts folded: "Show N replies"
          this.setOpen(parent, level < 2 || this.size(c.parent_id) <= this.collapse);
        }
      }
      const siblings = this.kids.get(c.parent_id) || [];
      const next = siblings.slice(siblings.indexOf(c) + 1)
        .map((s) => this.items.get(s.id)).find((x) => x?.parentNode === box);
      box.insertBefore(item, next || null);
      return item;
    }

    unplace(item) {
      const box = item.parentNode;
      item.remove();
      this.items.delete(Number(item.dataset.id));
      if (box !== this.tree && !box.children.length) box.parentNode.remove();
    }

    card(c) {
      const t = this.t;
      const gone = c.status === 'deleted';
      const name = gone ? '' : c.author.name || t('anon');
      const date = new Date(c.created_at);
      const parent = this.byId.get(c.parent_id);
      const until = Date.parse(c.edit_until) - Date.now(); // edit_until: only on the caller's own comments
      const open = !this.thread.locked && c.status === 'published';
      const voted = this.memory.data.votes[c.id];
      if (until > 0) setTimeout(() => this.refresh(c.id), until + 250);
      const body = h('div', { class: 'body', dir: 'auto' });
      const level = c.depth - this.base;
      const re = parent && parent.status !== 'deleted' && t('re', 0, parent.author.name || t('anon'));
      if (gone) body.textContent = t('deleted');
      else body.innerHTML = c.html;
      const card = h('div', { class: `card${gone ? ' gone' : ''}${c.status === 'pending' ? ' held' : ''}` },
        identicon(c.author.avatar),
        h('div', { class: 'main' },
          h('div', { class: 'meta' },
            name && (c.author.website
              ? h('a', { class: 'name', dir: 'auto', href: c.author.website, rel: 'nofollow ugc noopener', target: '_blank' }, name)
              : h('b', { class: 'name', dir: 'auto' }, name)),
            h('a', { class: 'time', href: `#c${c.id}`, title: date.toLocaleString(t.lang, { dateStyle: 'full', timeStyle: 'short' }) },
              h('time', { datetime: c.created_at, dir: 'auto' }, ago(date, t.lang))),
            c.edited_at && !gone && h('span', { class: 'tag' }, t('edited')),
            re && (level > this.maxDepth || !level) && h('a', { class: 're', href: `#c${parent.id}` }, re),
            re && h('span', { class: 'said', hidden: true }, re)),
          c.status === 'pending' && h('p', { class: 'note' }, t('held')),
          body,
          !gone && h('div', { class: 'actions' },
            c.status === 'published' && h('span', { class: 'vote' },
              voteButton(1, t('up'), voted), h('span', { class: 'score' }, String(c.votes)), voteButton(-1, t('down'), voted)),
            open && h('button', { type: 'button', 'data-act': 'reply' }, t('reply')),
            until > 0 && h('button', { type: 'button', 'data-act': 'edit' }, t('edit')),
            until > 0 && h('button', { type: 'button', 'data-act': 'del' }, t('del')),
            c.status === 'published' && !c.mine && !this.memory.data.reported[c.id]
              && h('button', { type: 'button', 'data-act': 'report', 'aria-haspopup': 'dialog' }, t('report')))));
      this.rove(card.querySelector(ROVE));
      return card;
    }

    // A comment's accessible name is its author and time, never its whole text (the text is its
    // content); a reply is described by whom it answers, so the nesting is heard as well as seen.
    name(item) {
      const meta = item.firstChild.querySelector('.meta'), said = meta.querySelector('.said');
      item.setAttribute('aria-label', this.t('who', meta.querySelector('time').textContent,
        meta.querySelector('.name')?.textContent || this.t('deleted').replace(/\p{P}$/u, '')));
      if (!said) return item.removeAttribute('aria-describedby');
      said.id = `d${item.dataset.id}`;
      item.setAttribute('aria-describedby', said.id);
    }

    // One tab stop per comment: its links and actions take turns (arrow keys move between them).
    rove(el) {
      if (!el?.matches(ROVE)) return;
      for (const x of el.closest('.card').querySelectorAll(ROVE)) x.tabIndex = x === el ? 0 : -1;
    }

    // Redraw one comment's card in place, keeping the keyboard focus on the same action.
    refresh(id) {
      const item = this.items.get(id);
      const c = this.byId.get(id);
      if (!item || !c) return;
      const old = item.firstChild;
      const act = old.contains(this.shadowRoot.activeElement) && this.shadowRoot.activeElement.dataset.act;
      old.replaceWith(this.card(c));
      this.name(item);
      if (act) item.firstChild.querySelector(`[data-act=${act}]`)?.focus();
    }

    setOpen(item, open) {
      const box = item.querySelector(':scope > .kids > div');
      const fold = box.previousSibling;
      box.hidden = !open;
      fold.setAttribute('aria-expanded', open);
      fold.textContent = open ? this.t('hide') : this.t('show', box.querySelectorAll('article').length);
    }

    say(item, message) {
      const main = item.firstChild.lastChild;
      main.querySelector('.err')?.remove();
      main.append(h('p', { class: 'err', role: 'alert' }, message));
    }

    async reveal(id) {
      for (let n = 0; n < 20 && this.next && !this.byId.has(id); n++) await this.nextPage();
      const index = this.list?.findIndex((c) => c.id === id);
      if (index == null || index < 0) return;
      const c = this.list[index];
      if (!this.items.has(id) && this.root) this.open(0);
      if (!this.items.has(id)) this.showMore(index + 1);
      if (!this.items.has(id)) this.open(c.parent_id); // past the depth shown: its branch alone
      const item = this.items.get(id);
      for (let up = item.parentNode.closest('article'); up; up = up.parentNode.closest('article')) this.setOpen(up, true);
      for (const old of this.tree.querySelectorAll('.hl')) old.classList.remove('hl');
      item.classList.add('hl');
      item.scrollIntoView({ block: 'center' });
      this.focus(item);
    }

    focus(item) {
      for (const other of this.tree.querySelectorAll('article[tabindex="0"]')) other.tabIndex = -1;
      item.tabIndex = 0;
      item.focus({ preventScroll: true });
    }

    // -- live updates --------------------------------------------------------------------------
    sync() {
      if (this.writing) { this.stale = true; return this.queue; }
      this.queue = this.queue.then(() => this.merge()).catch(() => {});
      return this.queue;
    }

    async merge() {
      const before = this.byId;
      if (!(await this.fetchThread())) return;
      for (const [id, item] of [...this.items]) if (!this.byId.has(id)) this.unplace(item);
      for (const c of this.list) {
        if (this.items.has(c.id)) { if (changed(before.get(c.id), c)) this.refresh(c.id); }
        else if (this.own.has(c.id) || c.depth - this.base >= this.continueAt) this.place(c);
        else if (!before.has(c.id)) this.pending.add(c.id);
      }
      for (const id of this.pending) if (!this.byId.has(id)) this.pending.delete(id);
      this.end = this.list.findLastIndex((c) => this.items.has(c.id)) + 1;
      this.header();
      this.footer();
    }

    showFresh(at) {
      const chosen = this.list.filter((c) => this.pending.has(c.id) && (at ? this.anchor(c) === at : this.anchor(c) !== undefined));
      const added = this.placeAll(chosen);
      this.end = this.list.findLastIndex((c) => this.items.has(c.id)) + 1;
      this.footer();
      for (const item of added) item.classList.add('new');
      if (added[0]) this.focus(added[0]);
    }

    // -- writing ---------------------------------------------------------------------------------
    form({ parent, edit, opener }) {
      const t = this.t;
      const who = this.memory.data;
      const text = h('textarea', { name: 'body', rows: 4, 'aria-label': t('body'), placeholder: t('ask'), required: true });
      if (edit) text.value = edit.body_md ?? '';
      const field = (name, type, auto) => h('label', {}, t(name),
        h('input', { name, type, autocomplete: auto, value: who[name] || '' }));
      const preview = h('div', { class: 'preview body', hidden: true });
      const error = h('p', { class: 'err', role: 'alert', hidden: true });
      const form = h('form', { class: 'form', novalidate: true },
        text, preview,
        !edit && h('div', { class: 'who' }, field('name', 'text', 'nickname'), field('email', 'email', 'email'), field('website', 'url', 'url')),
        error,
        h('div', { class: 'row' },
          h('span', { class: 'hint' }, t('hint')),
          h('button', { type: 'button', class: 'ghost', 'data-act': 'preview', 'aria-pressed': 'false' }, t('preview')),
          (parent || edit) && h('button', { type: 'button', class: 'ghost', 'data-act': 'cancel' }, t('cancel')),
          h('button', { type: 'submit', class: 'primary' }, t(edit ? 'save' : parent ? 'answer' : 'post'))));
      form.context = { parent, edit, opener, text, preview, error };
      form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(form); });
      return form;
    }

    // The server renders the preview exactly as it would render the posted comment.
    async togglePreview(form, button) {
      const { text, preview } = form.context;
      const on = button.getAttribute('aria-pressed') !== 'true';
      const body = text.value.trim();
      const asked = form.context.asked = {}; // only the latest click's answer is shown
      button.setAttribute('aria-pressed', on);
      button.textContent = this.t(on ? 'write' : 'preview');
      preview.replaceChildren(body ? '' : h('p', { class: 'hint' }, this.t('nothing')));
      preview.hidden = !on;
      text.hidden = on;
      if (!on) return text.focus();
      if (!body) return;
      preview.setAttribute('aria-busy', 'true');
      let html;
      try {
        ({ html } = await (await this.call('/preview', { method: 'POST', body: { body } })).json());
      } catch { /* shown below */ }
      if (form.context.asked !== asked) return;
      preview.removeAttribute('aria-busy');
      if (typeof html === 'string') {
        preview.innerHTML = html;
        if (/!\[/.test(body)) preview.prepend(h('p', { class: 'hint' }, this.t('noimg')));
      } else preview.replaceChildren(h('p', { class: 'err', role: 'alert' }, this.t('unrendered')));
    }

    closeForm(form) {
      const { opener } = form.context;
      form.remove();
      opener?.isConnected && opener.focus();
    }

    // The page's text (`data-article`: a CSS selector) goes with a thread's first comment.
    article() {
      const s = this.dataset.article;
      try { return s && !this.thread?.count ? document.querySelector(s)?.textContent.trim().slice(0, 2e4) : undefined; } catch {}
    }

    async submit(form) {
      const { parent, edit, text, error } = form.context;
      const body = text.value.trim();
      error.hidden = true;
      if (!body) {
        error.textContent = this.t('e_empty');
        error.hidden = false;
        return text.focus();
      }
      const button = form.querySelector('[type=submit]');
      button.disabled = true;
      this.writing++;
      const memory = this.memory.data;
      let id;
      try {
        if (edit) {
          await this.call(`/comments/${edit.id}`, { method: 'PATCH', body: { body } });
          id = edit.id;
        } else {
          const who = {};
          for (const name of ['name', 'email', 'website']) who[name] = memory[name] = form.elements[name].value.trim();
          const res = await this.call('/comments', {
            method: 'POST',
            body: { thread: this.key, title: this.pageTitle, body, parent_id: parent?.id, ...who, article: this.article() },
          });
          const created = await res.json();
          memory.token = created.author_token;
          id = created.comment.id;
          this.said.textContent = this.t(created.comment.status === 'pending' ? 'held' : 'posted');
          this.own.add(id);
        }
        this.memory.save();
      } catch (p) {
        error.textContent = this.explain(p);
        error.hidden = false;
      } finally {
        this.writing--;
        button.disabled = false;
      }
      if (!id && !this.stale) return;
      this.stale = false;
      await this.sync();
      if (!id) return;
      if (parent || edit) this.closeForm(form);
      else {
        text.value = '';
        const shown = form.querySelector('[data-act=preview][aria-pressed=true]');
        if (shown) this.togglePreview(form, shown);
      }
      this.reveal(id);
    }

    openForm(item, button, kind) {
      const slot = item.querySelector(':scope > .slot');
      const c = this.byId.get(Number(item.dataset.id));
      slot.firstChild?.remove();
      const form = this.form({ [kind]: c, opener: button });
      slot.append(form);
      form.context.text.focus();
    }

    // Report: a small form of the fixed reasons under the comment; then a thank-you, said politely.
    openReport(item, button) {
      const t = this.t;
      const slot = item.querySelector(':scope > .slot');
      const error = h('p', { class: 'err', role: 'alert', hidden: true });
      const form = h('form', { class: 'form report', role: 'dialog', 'aria-label': t('report') },
        h('fieldset', {}, h('legend', {}, t('why')),
          ...REASONS.map((r) => h('label', {}, h('input', { type: 'radio', name: 'reason', value: r }), t(`r_${r}`)))),
        error,
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'ghost', 'data-act': 'cancel' }, t('cancel')),
          h('button', { type: 'submit', class: 'primary' }, t('send'))));
      form.context = { opener: button };
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const id = Number(item.dataset.id);
        const reason = form.elements.reason.value;
        error.hidden = false;
        if (!reason) return error.textContent = t('e_reason');
        try {
          const res = await this.call(`/comments/${id}/report`, { method: 'POST', body: { reason } });
          this.memory.data.token = (await res.json()).author_token;
        } catch (p) {
          return error.textContent = this.explain(p);
        }
        this.memory.data.reported[id] = reason;
        this.memory.save();
        slot.replaceChildren(h('p', { class: 'done' }, t('thanks')));
        this.refresh(id);
        this.focus(item);
        this.said.textContent = t('thanks');
      });
      slot.replaceChildren(form);
      form.querySelector('input').focus();
    }

    async act(item, request) {
      try {
        await request();
        await this.sync();
      } catch (p) {
        this.say(item, this.explain(p));
      }
    }

    onClick(e) {
      const button = e.target.closest('[data-act]');
      if (!button) return;
      const item = button.closest('article');
      const id = item && Number(item.dataset.id);
      const form = button.closest('form');
      switch (button.dataset.act) {
        case 'reply': return this.openForm(item, button, 'parent');
        case 'edit': return this.openForm(item, button, 'edit');
        case 'report': return this.openReport(item, button);
        case 'cancel': return this.closeForm(form);
        case 'preview': return this.togglePreview(form, button);
        case 'fold': return this.setOpen(item, button.getAttribute('aria-expanded') !== 'true');
        case 'more': return this.loadMore().then((item) => this.focus(item));
        case 'fresh': return this.showFresh(Number(button.dataset.at));
        case 'go': return this.open(id);
        case 'all': return this.open(0);
        case 'retry': return this.reload();
        case 'order':
          this.sort = button.dataset.sort;
          return this.reload();
        case 'vote': {
          const votes = this.memory.data.votes;
          const pressed = Number(button.dataset.value);
          const value = votes[id] === pressed ? 0 : pressed; // pressed again: take the vote back
          return this.act(item, async () => {
            const res = await this.call(`/comments/${id}/vote`, { method: 'POST', body: { value } });
            this.memory.data.token = (await res.json()).author_token; // a first vote gives the browser its identity
            if (value) votes[id] = value;
            else delete votes[id];
            this.memory.save();
          });
        }
        case 'del':
          if (!button.dataset.sure) {
            button.dataset.sure = 'yes';
            button.textContent = this.t('sure');
            button.classList.add('danger');
            return;
          }
          return this.act(item, () => this.call(`/comments/${id}`, { method: 'DELETE' }));
      }
    }

    onKey(e) {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target.form) return e.target.form.requestSubmit();
      if (e.key === 'Escape') {
        const form = e.target.closest?.('form');
        if (form?.context.opener) this.closeForm(form);
        return;
      }
      const item = e.target;
      if (item.matches?.(ROVE) && /^(Arrow(Left|Right)|Home|End)$/.test(e.key)) return this.step(e);
      if (item.tagName !== 'ARTICLE') return;
      const all = [...this.tree.querySelectorAll('article')].filter((x) => !x.parentNode.closest('[hidden]'));
      const expanded = item.querySelector(':scope > .kids > .fold')?.getAttribute('aria-expanded');
      const rtl = getComputedStyle(item).direction === 'rtl'; // Right/Left mean in/out along the text
      const key = { ArrowLeft: 'ArrowRight', ArrowRight: 'ArrowLeft' }[rtl && e.key] || e.key;
      let to;
      switch (key) {
        case 'PageDown': // the feed's keys (WAI-ARIA Authoring Practices), and arrows as in a tree
        case 'ArrowDown': to = all[all.indexOf(item) + 1]; break;
        case 'PageUp':
        case 'ArrowUp': to = all[all.indexOf(item) - 1]; break;
        case 'Home': to = all[0]; break;
        case 'End': to = all.at(-1); break;
        case 'ArrowRight':
          if (expanded === 'false') this.setOpen(item, true);
          else to = item.querySelector('article');
          break;
        case 'ArrowLeft':
          if (expanded === 'true') this.setOpen(item, false);
          else to = item.parentNode.closest('article');
          break;
        default: return;
      }
      e.preventDefault();
      if (to) this.focus(to);
    }

    // Arrow keys within one comment's links and actions (mirrored on a right-to-left page).
    step(e) {
      const all = [...e.target.closest('.card').querySelectorAll(ROVE)];
      const i = all.indexOf(e.target);
      const back = (e.key === 'ArrowLeft') !== (getComputedStyle(e.target).direction === 'rtl');
      const to = { Home: 0, End: all.length - 1 }[e.key] ?? i + (back ? -1 : 1);
      e.preventDefault();
      all.at(to % all.length).focus();
    }
  }

  // <parley-count thread="/page/">: every count on the page comes from one request per server.
  const waiting = new Map(); // API base -> elements
  async function fillCounts() {
    const batches = [...waiting];
    waiting.clear();
    for (const [api, elements] of batches) {
      const keys = [...new Set(elements.map((el) => el.getAttribute('thread')))];
      for (let i = 0; i < keys.length; i += 100) {
        const query = keys.slice(i, i + 100).map((k) => `thread=${enc(k)}`).join('&');
        try {
          const { counts } = await (await fetch(`${api}/api/v1/counts?${query}`)).json();
          for (const el of elements) {
            const n = counts[el.getAttribute('thread')];
            if (n != null) el.textContent = (await catalogue(el.getAttribute('lang')))('count', n);
          }
        } catch { /* a count is decoration: keep the element's own text */ }
      }
    }
  }

  class ParleyCount extends HTMLElement {
    connectedCallback() {
      const api = (this.getAttribute('api') || DEFAULT_API).replace(/\/$/, '');
      if (!waiting.size) setTimeout(fillCounts);
      if (!waiting.has(api)) waiting.set(api, []);
      waiting.get(api).push(this);
    }
  }

  customElements.define('parley-comments', ParleyComments);
  customElements.define('parley-count', ParleyCount);
})();
