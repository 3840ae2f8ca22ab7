/* coachdir directory.js: search, filters and shortlist for the coach directory.
 * Plain ES2017, no library, no build step. The only request it makes is for the
 * data file named by the page (data-data-url, same origin only). Every text taken
 * from the data is inserted with textContent / createTextNode, never as HTML. */
(function () {
  'use strict';

  if (window.coachdirDirectory && window.coachdirDirectory.loaded) return;

  const STORAGE_KEY = 'coachdir.shortlist';
  const MAX_SHORTLIST = 3;
  const PAGE_SIZE = 50;
  const ANNOUNCE_MS = 300;
  const REPLACE_MS = 300;
  const MAX_QUERY = 200;
  const MAX_TIMINGS = 500;
  const WIDE = '(min-width: 45em)';
  const SEARCHED_FACETS = ['entity', 'expertise', 'offer', 'language', 'modality', 'network'];
  const ALWAYS_SHOWN = ['availability'];
  const BADGE_STRINGS = ['accepting', 'paused'];

  const DEFAULT_STRINGS = {
    search_label: 'Search for a coach',
    search_placeholder: 'Name, role, place, expertise…',
    filters: 'Filters',
    clear_all: 'Clear all',
    results_one: '1 coach matches',
    results_many: '{n} coaches match',
    results_none: 'No coach matches. Remove a filter or change the search.',
    show_more: 'Show more coaches',
    shortlist: 'My shortlist',
    shortlist_help: 'Keep up to three coaches, in your order of preference. This list stays in your browser.',
    shortlist_empty: 'No coach shortlisted.',
    shortlist_add: 'Add {name} to my shortlist',
    shortlist_remove: 'Remove {name}',
    shortlist_up: 'Move {name} up',
    shortlist_down: 'Move {name} down',
    shortlist_full: 'The shortlist already holds three coaches.',
    shortlist_request: 'Ask these coaches for a first conversation',
    accepting: 'Accepting new people',
    paused: 'Full for now',
    offers: 'Offers',
    expertise: 'Expertise',
    languages: 'Languages',
    availability: 'Availability',
    places: 'Places',
    places_no_shortlist: 'full: no place free'
  };

  let resolveReady = null;
  const api = {
    loaded: true,
    lastUpdateMs: null, // input event -> end of the synchronous DOM update
    lastFrameMs: null, // input event -> first task after the next frame (style and layout included)
    timings: [],
    frameTimings: [],
    ready: new Promise(function (resolve) { resolveReady = resolve; })
  };
  window.coachdirDirectory = api;

  /* ---------- small helpers ---------- */

  function text(v) {
    return v == null ? '' : String(v);
  }

  function fmt(tpl, vars) {
    return text(tpl).replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : m;
    });
  }

  // Builds an element; attribute names are always ours, values and texts may come from data.
  function el(tag, attrs, kids) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) {
        const v = attrs[k];
        if (v == null || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    if (kids) {
      for (const kid of kids) {
        if (kid == null) continue;
        node.appendChild(typeof kid === 'string' ? document.createTextNode(kid) : kid);
      }
    }
    return node;
  }

  let uidCounter = 0;
  function uid(prefix) {
    uidCounter += 1;
    return prefix + '-' + uidCounter;
  }

  const MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  const FOLDS = { 'œ': 'oe', 'æ': 'ae', 'ß': 'ss', 'ø': 'o', 'đ': 'd', 'ł': 'l', 'ı': 'i', '’': "'", 'ʼ': "'" };
  const FOLDS_RE = /[œæßøđłı’ʼ]/g;

  // Case- and accent-insensitive form used on both sides of the search.
  function fold(s) {
    return text(s).normalize('NFD').toLowerCase().replace(MARKS, '')
      .replace(FOLDS_RE, function (c) { return FOLDS[c]; });
  }

  function tokenize(q) {
    return fold(q).split(/\s+/).filter(Boolean);
  }

  function parseUrl(raw, base) {
    try {
      return new URL(raw, base);
    } catch (e) {
      return null;
    }
  }

  // A link target from the data: http(s) only. Relative URLs are taken relative to the
  // data file (right on every page: directory, coach pages); on the directory page this
  // is the same as relative to the page, and then the string is kept as it is.
  function safeHref(raw, dataUrl) {
    const s = text(raw).trim();
    if (!s) return null;
    const viaData = parseUrl(s, dataUrl);
    if (!viaData || (viaData.protocol !== 'http:' && viaData.protocol !== 'https:')) return null;
    const viaPage = parseUrl(s, location.href);
    if (viaPage && viaPage.href === viaData.href) return s;
    if (viaData.origin === location.origin) return viaData.pathname + viaData.search + viaData.hash;
    return viaData.href;
  }

  function slug(s) {
    return text(s).toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  }

  function focusEl(node) {
    if (node && typeof node.focus === 'function') node.focus();
  }

  /* ---------- data ---------- */

  const dataCache = new Map();

  function loadData(url) {
    if (!dataCache.has(url)) {
      dataCache.set(url, fetch(url, { credentials: 'same-origin' }).then(function (res) {
        if (!res.ok) throw new Error('coachdir: ' + res.status + ' for ' + url);
        return res.json();
      }).then(function (raw) {
        return prepare(raw, url);
      }));
    }
    return dataCache.get(url);
  }

  function prepare(raw, dataUrl) {
    if (!raw || typeof raw !== 'object' || !Array.isArray(raw.coaches) || !Array.isArray(raw.facets)) {
      throw new Error('coachdir: the data file has no coaches or facets');
    }
    const strings = Object.assign({}, DEFAULT_STRINGS);
    if (raw.strings && typeof raw.strings === 'object') {
      for (const k of Object.keys(raw.strings)) {
        if (typeof raw.strings[k] === 'string' && raw.strings[k]) strings[k] = raw.strings[k];
      }
    }
    const facets = [];
    const facetByKey = new Map();
    for (const f of raw.facets) {
      if (!f || typeof f.key !== 'string' || !f.key || facetByKey.has(f.key)) continue;
      const values = (Array.isArray(f.values) ? f.values : []).map(function (v) {
        return { id: text(v && v.id), label: text(v && v.label) || text(v && v.id) };
      });
      const byId = new Map();
      values.forEach(function (v, i) {
        if (v.id && !byId.has(v.id)) byId.set(v.id, i);
      });
      const facet = { key: f.key, label: text(f.label) || f.key, values: values, byId: byId, index: facets.length };
      facets.push(facet);
      facetByKey.set(f.key, facet);
    }
    const coaches = [];
    const byId = new Map();
    for (const c of raw.coaches) {
      if (!c || typeof c !== 'object' || c.id == null || c.id === '') continue;
      const id = String(c.id);
      if (byId.has(id)) continue;
      const fv = facets.map(function (facet) {
        const src = c.f && Array.isArray(c.f[facet.key]) ? c.f[facet.key] : [];
        const out = [];
        for (const x of src) {
          if (Number.isInteger(x) && x >= 0 && x < facet.values.length && out.indexOf(x) === -1) out.push(x);
        }
        return out;
      });
      const coach = {
        id: id,
        name: text(c.name) || id,
        rawUrl: c.url,
        role: text(c.role),
        location: text(c.location),
        fv: fv,
        // availability.json's places: the card's text, and whether no place is free
        places: c.p && typeof c.p === 'object' && text(c.p.text) ? { text: text(c.p.text), full: c.p.full === true } : null,
        // why the coach cannot take a new client today (no verified credential, supervision
        // to renew, charter to sign again), in words: shown instead of the badge, no shortlist
        reason: text(c.r) || null,
        index: coaches.length,
        hay: '',
        node: null, // the card <li>, once made or adopted
        ready: false, // the card has its shortlist button
        button: null,
        noted: false, // the card shows the 'shortlist full' note
        href: undefined
      };
      const parts = [coach.name, coach.role, coach.location];
      for (const key of SEARCHED_FACETS) {
        const facet = facetByKey.get(key);
        if (!facet) continue;
        for (const v of fv[facet.index]) parts.push(facet.values[v].label);
      }
      coach.hay = fold(parts.join('\n'));
      coaches.push(coach);
      byId.set(id, coach);
    }
    let nf = null;
    try {
      nf = new Intl.NumberFormat(text(raw.lang) || undefined);
    } catch (e) {
      nf = null;
    }
    const request = raw.request && typeof raw.request === 'object' ? raw.request : null;
    return {
      url: dataUrl,
      lang: text(raw.lang),
      strings: strings,
      facets: facets,
      facetByKey: facetByKey,
      coaches: coaches,
      byId: byId,
      request: request,
      num: function (n) { return nf ? nf.format(n) : String(n); },
      href: function (coach) {
        if (coach.href === undefined) coach.href = safeHref(coach.rawUrl, dataUrl);
        return coach.href;
      },
      labels: function (coach, key) {
        const facet = facetByKey.get(key);
        if (!facet) return [];
        return coach.fv[facet.index].map(function (v) { return facet.values[v].label; });
      }
    };
  }

  /* ---------- shortlist ---------- */

  const store = (function () {
    let memory = [];
    let usable = false;
    try {
      const probe = 'coachdir.probe';
      window.localStorage.setItem(probe, '1');
      window.localStorage.removeItem(probe);
      usable = true;
    } catch (e) {
      usable = false;
    }
    return {
      read: function () {
        if (!usable) return memory.slice();
        try {
          const raw = window.localStorage.getItem(STORAGE_KEY);
          const arr = raw ? JSON.parse(raw) : [];
          return Array.isArray(arr) ? arr.filter(function (x) { return typeof x === 'string'; }) : [];
        } catch (e) {
          return memory.slice();
        }
      },
      write: function (ids) {
        memory = ids.slice();
        if (!usable) return;
        try {
          window.localStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
        } catch (e) {
          usable = false;
        }
      }
    };
  })();

  function createShortlist(d) {
    const listeners = [];
    let ids = clean(store.read());

    function clean(arr) {
      const out = [];
      for (const id of arr) {
        if (d.byId.has(id) && out.indexOf(id) === -1 && out.length < MAX_SHORTLIST) out.push(id);
      }
      return out;
    }
    function set(next, event) {
      ids = next;
      store.write(ids);
      notify(event || { type: 'change' });
    }
    function notify(event) {
      for (const fn of listeners) fn(event);
    }
    return {
      get: function () { return ids.slice(); },
      has: function (id) { return ids.indexOf(id) !== -1; },
      full: function () { return ids.length >= MAX_SHORTLIST; },
      subscribe: function (fn) { listeners.push(fn); },
      // Returns false when the list is full.
      toggle: function (id) {
        if (ids.indexOf(id) !== -1) {
          set(ids.filter(function (x) { return x !== id; }));
          return true;
        }
        if (isFull(d.byId.get(id))) return true; // no place free: never added
        if (ids.length >= MAX_SHORTLIST) {
          notify({ type: 'full', id: id });
          return false;
        }
        set(ids.concat([id]));
        return true;
      },
      remove: function (id) {
        set(ids.filter(function (x) { return x !== id; }));
      },
      move: function (id, delta) {
        const i = ids.indexOf(id);
        const j = i + delta;
        if (i === -1 || j < 0 || j >= ids.length) return;
        const next = ids.slice();
        next[i] = next[j];
        next[j] = id;
        set(next);
      },
      reload: function () {
        const next = clean(store.read());
        if (next.join('\n') !== ids.join('\n')) {
          ids = next;
          notify({ type: 'change' });
        }
      }
    };
  }

  function requestHref(d, ids) {
    const r = d.request;
    if (!r || !ids.length) return null;
    if (r.kind === 'issue-form') {
      const base = text(r.url).trim();
      const u = parseUrl(base, location.href);
      if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) return null;
      const field = text(r.field) || 'coaches';
      let href = base + (base.indexOf('?') === -1 ? '?' : '&');
      if (text(r.template)) href += 'template=' + encodeURIComponent(text(r.template)) + '&';
      return href + encodeURIComponent(field) + '=' + encodeURIComponent(ids.join(','));
    }
    if (r.kind === 'mailto') {
      // The whole address is made by the site generator (the coaching-request form's body,
      // encoded); only the ids go in, where the marker is.
      const href = text(r.href);
      const marker = text(r.marker);
      if (!/^mailto:[^\s@?&#<>"'\\/,;:()]+@[^\s@?&#<>"'\\/,;:()]+\?/.test(href)) return null;
      if (!marker || href.split(marker).length !== 2) return null;
      return href.replace(marker, function () { return encodeURIComponent(ids.join(', ')); });
    }
    return null;
  }

  // Re-announces a status message even when its text has not changed.
  function announce(node, message) {
    node.textContent = '';
    if (!message) return;
    setTimeout(function () { node.textContent = message; }, 60);
  }

  function createPanel(d, shortlist) {
    const s = d.strings;
    const headingId = uid('cd-shortlist-heading');
    const heading = el('h2', { id: headingId, class: 'cd-shortlist__title', tabindex: '-1', text: s.shortlist });
    const help = el('p', { class: 'cd-shortlist__help', text: s.shortlist_help });
    const empty = el('p', { class: 'cd-shortlist__empty', text: s.shortlist_empty });
    const list = el('ol', { class: 'cd-shortlist__list' });
    const status = el('p', { class: 'cd-shortlist__status', role: 'status' });
    const request = el('a', { class: 'cd-shortlist__request', text: s.shortlist_request });
    const section = el('section', { class: 'cd-shortlist', 'aria-labelledby': headingId },
      [heading, help, empty, list, status, request]);
    let fullShown = false;

    function actionButton(coach, action, glyph, label, disabled) {
      return el('button', {
        type: 'button',
        class: 'cd-shortlist__btn cd-shortlist__btn--' + action,
        'data-cd-id': coach.id,
        'data-cd-action': action,
        'aria-label': fmt(label, { name: coach.name }),
        'aria-disabled': disabled ? 'true' : null
      }, [el('span', { 'aria-hidden': 'true', text: glyph })]);
    }

    function render(event) {
      const ids = shortlist.get();
      const active = document.activeElement;
      let want = null;
      if (active && active !== list && list.contains(active)) {
        const item = active.closest('li');
        want = {
          id: active.getAttribute('data-cd-id'),
          action: active.getAttribute('data-cd-action'),
          pos: Array.prototype.indexOf.call(list.children, item)
        };
      }
      list.textContent = '';
      ids.forEach(function (id, i) {
        const coach = d.byId.get(id);
        const href = d.href(coach);
        const name = href
          ? el('a', { href: href, 'data-cd-id': id, 'data-cd-action': 'link' }, [coach.name])
          : el('span', { text: coach.name });
        list.appendChild(el('li', { class: 'cd-shortlist__item', 'data-id': id }, [
          el('span', { class: 'cd-shortlist__name' }, [name]),
          el('span', { class: 'cd-shortlist__actions' }, [
            actionButton(coach, 'up', '↑', s.shortlist_up, i === 0),
            actionButton(coach, 'down', '↓', s.shortlist_down, i === ids.length - 1),
            actionButton(coach, 'remove', '×', s.shortlist_remove, false)
          ])
        ]));
      });
      list.hidden = ids.length === 0;
      empty.hidden = ids.length !== 0;
      const href = requestHref(d, ids);
      if (href) {
        request.setAttribute('href', href);
        request.hidden = false;
      } else {
        request.removeAttribute('href');
        request.hidden = true;
      }
      const full = ids.length >= MAX_SHORTLIST;
      if (event && event.type === 'full') {
        announce(status, s.shortlist_full);
      } else if (full !== fullShown) {
        status.textContent = full ? s.shortlist_full : '';
      }
      fullShown = full;
      if (want) {
        let target = null;
        for (const b of list.querySelectorAll('[data-cd-action]')) {
          if (b.getAttribute('data-cd-id') === want.id && b.getAttribute('data-cd-action') === want.action) {
            target = b;
            break;
          }
        }
        if (!target) {
          const items = list.children;
          const item = items[Math.min(want.pos, items.length - 1)];
          target = item ? item.querySelector('[data-cd-action="remove"]') : heading;
        }
        focusEl(target);
      }
    }

    list.addEventListener('click', function (e) {
      const b = e.target.closest('button[data-cd-action]');
      if (!b || b.getAttribute('aria-disabled') === 'true') return;
      const id = b.getAttribute('data-cd-id');
      const action = b.getAttribute('data-cd-action');
      if (action === 'remove') shortlist.remove(id);
      else if (action === 'up') shortlist.move(id, -1);
      else if (action === 'down') shortlist.move(id, 1);
    });
    shortlist.subscribe(render);
    render(null);
    return section;
  }

  // No free place, or cannot take a new client today: the coach cannot be shortlisted.
  function isFull(coach) {
    return !!(coach && ((coach.places && coach.places.full) || coach.reason));
  }

  // A coach with no free place (or a reason not to take anyone today): the shortlist button,
  // disabled, described by its reason.
  // The server-rendered page shows the reason only (no script, no shortlist): the button is
  // added before it when present.
  function fullToggle(d, coach, cls, host) {
    const noteId = 'cd-full-' + coach.id;
    const button = el('button', {
      type: 'button',
      class: 'cd-toggle',
      'aria-disabled': 'true',
      'aria-describedby': noteId,
      'data-cd-id': coach.id
    }, [fmt(d.strings.shortlist_add, { name: coach.name })]);
    const box = host.querySelector('.' + cls);
    if (box && box.querySelector('.cd-full-note')) {
      box.insertBefore(button, box.firstChild);
      return;
    }
    host.appendChild(el('div', { class: cls }, [
      button,
      el('p', { class: 'cd-full-note', id: noteId, text: coach.reason || d.strings.places_no_shortlist })
    ]));
  }

  function makeToggle(d, coach) {
    return el('button', {
      type: 'button',
      class: 'cd-toggle',
      'aria-pressed': 'false',
      'data-cd-id': coach.id
    }, [fmt(d.strings.shortlist_add, { name: coach.name })]);
  }

  // Coach pages: <div class="cd-shortlist-toggle" data-id=…>
  function setupToggle(host, d, shortlist) {
    if (host.hasAttribute('data-cd-ready')) return;
    const coach = d.byId.get(text(host.getAttribute('data-id')));
    if (!coach) return;
    host.setAttribute('data-cd-ready', '');
    if (isFull(coach)) {
      if (!host.querySelector('button.cd-toggle')) fullToggle(d, coach, 'cd-toggle-full', host);
      return;
    }
    const button = makeToggle(d, coach);
    const note = el('p', { class: 'cd-toggle-note', role: 'status' });
    host.appendChild(button);
    host.appendChild(note);
    function sync(event) {
      button.setAttribute('aria-pressed', shortlist.has(coach.id) ? 'true' : 'false');
      if (!event || event.type !== 'full' || event.id !== coach.id) note.textContent = '';
    }
    button.addEventListener('click', function () {
      if (!shortlist.toggle(coach.id)) announce(note, d.strings.shortlist_full);
    });
    shortlist.subscribe(sync);
    sync(null);
  }

  /* ---------- directory ---------- */

  let currentDirectory = null;

  function buildCard(d, coach) {
    const s = d.strings;
    const li = el('li', { class: 'cd-card', 'data-id': coach.id });
    const href = d.href(coach);
    li.appendChild(el('h3', { class: 'cd-card__name' }, [href ? el('a', { href: href }, [coach.name]) : coach.name]));
    const meta = [coach.role, d.labels(coach, 'entity').join(', '), coach.location].filter(Boolean).join(' · ');
    if (meta) li.appendChild(el('p', { class: 'cd-card__meta', text: meta }));
    const facts = el('dl', { class: 'cd-card__facts' });
    const rows = [[s.offers, 'offer'], [s.expertise, 'expertise'], [s.languages, 'language']];
    for (const row of rows) {
      const labels = d.labels(coach, row[1]);
      if (labels.length) facts.appendChild(el('div', null, [el('dt', { text: row[0] }), el('dd', { text: labels.join(', ') })]));
    }
    const avail = d.facetByKey.get('availability');
    if (avail && coach.fv[avail.index].length) {
      const dd = el('dd');
      coach.fv[avail.index].forEach(function (v, i) {
        const value = avail.values[v];
        let label = BADGE_STRINGS.indexOf(value.id) !== -1 ? s[value.id] : value.label;
        if (value.id === 'paused' && coach.reason) label = coach.reason;
        if (i) dd.appendChild(document.createTextNode(' '));
        dd.appendChild(el('span', { class: 'cd-badge cd-badge--' + slug(value.id), text: label }));
      });
      facts.appendChild(el('div', null, [el('dt', { text: s.availability }), dd]));
    }
    if (coach.places) {
      facts.appendChild(el('div', null, [el('dt', { text: s.places }), el('dd', { class: 'cd-places', text: coach.places.text })]));
    }
    if (facts.firstChild) li.appendChild(facts);
    return li;
  }

  function setupDirectory(root, d, shortlist, panelHost) {
    const s = d.strings;
    const coaches = d.coaches;
    const n = coaches.length;
    const wide = window.matchMedia ? window.matchMedia(WIDE).matches : true;
    const before = document.activeElement;
    const focusWasInside = !!before && before !== root && root.contains(before);

    const list = root.querySelector('#cd-cards') || root.querySelector('ul.cd-cards') ||
      el('ul', { class: 'cd-cards', id: 'cd-cards' });
    let heading = root.querySelector('#cd-results-heading');
    if (!heading) heading = el('h2', { id: 'cd-results-heading', text: 'Coachs' });
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    const nodeIndex = new WeakMap();

    // Adopt the server-rendered cards (same markup): no flash, no lost focus.
    for (const li of list.children) {
      if (li.tagName !== 'LI' || !li.classList.contains('cd-card')) continue;
      const coach = d.byId.get(text(li.getAttribute('data-id')));
      if (coach && !coach.node) {
        coach.node = li;
        nodeIndex.set(li, coach.index);
      }
    }

    /* --- state --- */
    const uiFacets = d.facets.filter(function (f) {
      return f.values.length > 1 || (ALWAYS_SHOWN.indexOf(f.key) !== -1 && f.values.length > 0);
    });
    for (const f of uiFacets) {
      f.sel = new Uint8Array(f.values.length);
      f.selCount = 0;
      f.counts = new Int32Array(f.values.length);
      f.shown = new Int32Array(f.values.length).fill(-1);
      f.countEls = [];
      f.optionEls = [];
      f.boxes = [];
    }
    const state = { q: '' };
    const searchOk = new Uint8Array(n);
    let lastTokens = null;
    let matched = [];
    let limit = PAGE_SIZE;
    const madeCards = [];

    /* --- controls --- */
    const inputId = uid('cd-q');
    const input = el('input', {
      id: inputId,
      class: 'cd-search__input',
      type: 'search',
      name: 'q',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: s.search_placeholder,
      'aria-controls': 'cd-cards'
    });
    const clearButton = el('button', { type: 'button', class: 'cd-clear', text: s.clear_all });
    const facetBox = el('div', { class: 'cd-filters__body' });
    uiFacets.forEach(function (f) {
      const options = el('div', { class: 'cd-facet__options' });
      f.values.forEach(function (v, i) {
        const boxId = uid('cd-f');
        const box = el('input', {
          type: 'checkbox',
          id: boxId,
          name: f.key,
          value: v.id,
          'data-cd-f': f.index,
          'data-cd-v': i
        });
        const count = el('span', { class: 'cd-facet__count' });
        const option = el('label', { class: 'cd-facet__option', for: boxId }, [
          box, el('span', { class: 'cd-facet__label', text: v.label }), ' ', count
        ]);
        f.boxes.push(box);
        f.countEls.push(count);
        f.optionEls.push(option);
        options.appendChild(option);
      });
      const details = el('details', { class: 'cd-facet', 'data-cd-facet': f.key }, [
        el('summary', { class: 'cd-facet__summary', text: f.label }),
        el('fieldset', { class: 'cd-facet__set' }, [
          el('legend', { class: 'cd-visually-hidden', text: f.label }),
          options
        ])
      ]);
      f.details = details;
      facetBox.appendChild(details);
    });
    const filtersPanel = el('details', { class: 'cd-filters__panel' }, [
      el('summary', { class: 'cd-filters__summary', text: s.filters }),
      facetBox
    ]);
    const form = el('form', { class: 'cd-filters', role: 'search', 'aria-label': s.search_label, novalidate: true }, [
      el('div', { class: 'cd-search' }, [
        el('label', { class: 'cd-search__label', for: inputId, text: s.search_label }),
        el('div', { class: 'cd-search__row' }, [input, clearButton])
      ]),
      uiFacets.length ? filtersPanel : null
    ]);
    const status = el('p', {
      id: 'cd-status',
      class: 'cd-status',
      role: 'status',
      'aria-live': 'polite',
      'aria-atomic': 'true'
    });
    const more = el('button', { type: 'button', class: 'cd-more', hidden: true, text: s.show_more });

    /* --- search and facets --- */
    function sameTokens(a, b) {
      return a && a.length === b.length && a.every(function (t, i) { return t === b[i]; });
    }

    function runSearch() {
      const tokens = tokenize(state.q.slice(0, MAX_QUERY));
      if (sameTokens(lastTokens, tokens)) return;
      // When every old token is contained in the new one at the same place, the new
      // matches are a subset of the old ones: only those need checking.
      const narrowing = lastTokens && tokens.length >= lastTokens.length &&
        lastTokens.every(function (t, i) { return tokens[i].indexOf(t) !== -1; });
      const nt = tokens.length;
      for (let i = 0; i < n; i++) {
        if (narrowing && !searchOk[i]) continue;
        const hay = coaches[i].hay;
        let ok = 1;
        for (let t = 0; t < nt; t++) {
          if (hay.indexOf(tokens[t]) === -1) {
            ok = 0;
            break;
          }
        }
        searchOk[i] = ok;
      }
      lastTokens = tokens;
    }

    // Faceted counts: a value's count is the number of coaches that match the search and
    // every OTHER facet's selection (OR within a facet, AND across facets).
    function compute() {
      runSearch();
      const active = uiFacets.filter(function (f) { return f.selCount > 0; });
      const na = active.length;
      const nu = uiFacets.length;
      for (const f of uiFacets) f.counts.fill(0);
      const out = [];
      for (let i = 0; i < n; i++) {
        if (!searchOk[i]) continue;
        const fv = coaches[i].fv;
        let fails = 0;
        let failed = null;
        for (let a = 0; a < na; a++) {
          const f = active[a];
          const vals = fv[f.index];
          const sel = f.sel;
          let ok = false;
          for (let k = 0; k < vals.length; k++) {
            if (sel[vals[k]]) {
              ok = true;
              break;
            }
          }
          if (!ok) {
            fails += 1;
            failed = f;
            if (fails > 1) break;
          }
        }
        if (fails === 0) {
          out.push(i);
          for (let u = 0; u < nu; u++) {
            const f = uiFacets[u];
            const vals = fv[f.index];
            for (let k = 0; k < vals.length; k++) f.counts[vals[k]] += 1;
          }
        } else if (fails === 1) {
          const vals = fv[failed.index];
          for (let k = 0; k < vals.length; k++) failed.counts[vals[k]] += 1;
        }
      }
      matched = out;
    }

    function renderCounts() {
      for (const f of uiFacets) {
        for (let v = 0; v < f.values.length; v++) {
          const c = f.counts[v];
          if (f.shown[v] === c) continue;
          const wasZero = f.shown[v] === 0;
          f.shown[v] = c;
          f.countEls[v].textContent = '(' + d.num(c) + ')';
          if (wasZero !== (c === 0)) f.optionEls[v].classList.toggle('cd-facet__option--zero', c === 0);
        }
      }
    }

    function card(coach) {
      if (!coach.ready && isFull(coach)) {
        if (!coach.node) {
          coach.node = buildCard(d, coach);
          nodeIndex.set(coach.node, coach.index);
        }
        if (!coach.node.querySelector('button.cd-toggle')) fullToggle(d, coach, 'cd-card__actions', coach.node);
        coach.button = coach.node.querySelector('button.cd-toggle');
        coach.ready = true;
      }
      if (!coach.ready) {
        if (!coach.node) {
          coach.node = buildCard(d, coach);
          nodeIndex.set(coach.node, coach.index);
        }
        coach.button = makeToggle(d, coach);
        coach.button.setAttribute('aria-pressed', shortlist.has(coach.id) ? 'true' : 'false');
        coach.node.appendChild(el('div', { class: 'cd-card__actions' }, [coach.button]));
        coach.ready = true;
        madeCards.push(coach);
      }
      return coach.node;
    }

    // Brings the list to matched[0:limit] with the fewest DOM changes. Cards stay in data
    // (name) order, so a card that stays is never moved and keeps its focus.
    function renderList(fresh) {
      const active = document.activeElement;
      const focusInList = active && active !== list && list.contains(active);
      const end = Math.min(limit, matched.length);
      if (fresh) list.textContent = '';
      let cur = list.firstChild;
      let frag = null;
      for (let j = 0; j < end; j++) {
        const i = matched[j];
        const node = card(coaches[i]);
        while (cur && cur !== node) {
          const rank = nodeIndex.has(cur) ? nodeIndex.get(cur) : -1;
          if (rank > i) break;
          const next = cur.nextSibling;
          list.removeChild(cur);
          cur = next;
        }
        if (cur === node) {
          if (frag) {
            list.insertBefore(frag, cur);
            frag = null;
          }
          cur = cur.nextSibling;
        } else {
          if (node.parentNode === list) return renderList(true); // order broken: rebuild
          if (!frag) frag = document.createDocumentFragment();
          frag.appendChild(node);
        }
      }
      if (frag) list.insertBefore(frag, cur);
      while (cur) {
        const next = cur.nextSibling;
        list.removeChild(cur);
        cur = next;
      }
      more.hidden = matched.length <= limit;
      if (focusInList && !list.contains(active)) focusEl(heading);
      return undefined;
    }

    let announceTimer = 0;
    function statusText() {
      const count = matched.length;
      if (count === 0) return s.results_none;
      if (count === 1) return s.results_one;
      return fmt(s.results_many, { n: d.num(count) });
    }
    function scheduleAnnounce() {
      clearTimeout(announceTimer);
      announceTimer = setTimeout(flushAnnounce, ANNOUNCE_MS);
    }
    function flushAnnounce() {
      clearTimeout(announceTimer);
      const t = statusText();
      if (status.textContent !== t) status.textContent = t;
    }

    let frameSeq = 0;
    function record(t0) {
      const ms = performance.now() - t0;
      api.lastUpdateMs = ms;
      api.timings.push(ms);
      if (api.timings.length > MAX_TIMINGS) api.timings.shift();
      const seq = ++frameSeq;
      if (window.requestAnimationFrame) {
        requestAnimationFrame(function () {
          setTimeout(function () {
            if (seq !== frameSeq) return;
            const frame = performance.now() - t0;
            api.lastFrameMs = frame;
            api.frameTimings.push(frame);
            if (api.frameTimings.length > MAX_TIMINGS) api.frameTimings.shift();
          }, 0);
        });
      }
    }

    function update(t0) {
      compute();
      renderCounts();
      renderList(false);
      scheduleAnnounce();
      record(t0);
    }

    /* --- URL state --- */
    function readUrl() {
      const params = new URLSearchParams(location.search);
      state.q = text(params.get('q')).slice(0, MAX_QUERY);
      for (const f of uiFacets) {
        f.sel.fill(0);
        f.selCount = 0;
        for (const raw of params.getAll(f.key)) {
          for (const id of raw.split(',')) {
            const v = f.byId.get(id.trim());
            if (v !== undefined && !f.sel[v]) {
              f.sel[v] = 1;
              f.selCount += 1;
            }
          }
        }
      }
    }

    function syncControls() {
      if (input.value !== state.q) input.value = state.q;
      for (const f of uiFacets) {
        for (let v = 0; v < f.values.length; v++) f.boxes[v].checked = !!f.sel[v];
      }
    }

    function stateUrl() {
      const ours = new Set(['q']);
      for (const f of uiFacets) ours.add(f.key);
      const parts = [];
      if (state.q.trim()) parts.push('q=' + encodeURIComponent(state.q));
      for (const f of uiFacets) {
        if (!f.selCount) continue;
        const ids = [];
        for (let v = 0; v < f.values.length; v++) if (f.sel[v]) ids.push(encodeURIComponent(f.values[v].id));
        parts.push(encodeURIComponent(f.key) + '=' + ids.join(','));
      }
      new URLSearchParams(location.search).forEach(function (value, key) {
        if (!ours.has(key)) parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(value));
      });
      return location.pathname + (parts.length ? '?' + parts.join('&') : '') + location.hash;
    }

    let replaceTimer = 0;
    let replacePending = false;
    function writeHistory(push) {
      const url = stateUrl();
      if (url === location.pathname + location.search + location.hash) return;
      try {
        if (push) history.pushState(null, '', url);
        else history.replaceState(history.state, '', url);
      } catch (e) {
        /* history can be unavailable (sandboxed frames): the page still works */
      }
    }
    function scheduleReplace() {
      replacePending = true;
      clearTimeout(replaceTimer);
      replaceTimer = setTimeout(flushReplace, REPLACE_MS);
    }
    function flushReplace() {
      clearTimeout(replaceTimer);
      if (!replacePending) return;
      replacePending = false;
      writeHistory(false);
    }
    function cancelReplace() {
      clearTimeout(replaceTimer);
      replacePending = false;
    }

    /* --- events --- */
    input.addEventListener('input', function () {
      const t0 = performance.now();
      state.q = input.value.slice(0, MAX_QUERY);
      limit = PAGE_SIZE;
      update(t0);
      scheduleReplace();
    });

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      flushReplace();
      flushAnnounce();
    });

    form.addEventListener('change', function (e) {
      const box = e.target;
      if (!box || box.type !== 'checkbox' || !box.hasAttribute('data-cd-f')) return;
      const t0 = performance.now();
      flushReplace(); // the entry before this one keeps the text typed so far
      const f = d.facets[Number(box.getAttribute('data-cd-f'))];
      const v = Number(box.getAttribute('data-cd-v'));
      const on = box.checked ? 1 : 0;
      if (f.sel[v] !== on) {
        f.sel[v] = on;
        f.selCount += on ? 1 : -1;
      }
      limit = PAGE_SIZE;
      update(t0);
      writeHistory(true);
    });

    clearButton.addEventListener('click', function () {
      const t0 = performance.now();
      flushReplace();
      const anything = state.q !== '' || uiFacets.some(function (f) { return f.selCount > 0; });
      state.q = '';
      for (const f of uiFacets) {
        f.sel.fill(0);
        f.selCount = 0;
      }
      syncControls();
      limit = PAGE_SIZE;
      update(t0);
      if (anything) writeHistory(true);
    });

    more.addEventListener('click', function () {
      const t0 = performance.now();
      const first = limit;
      limit += PAGE_SIZE;
      renderList(false);
      record(t0);
      const coach = coaches[matched[first]];
      if (coach) {
        const target = coach.node.querySelector('a[href]') || coach.button;
        if (target) focusEl(target);
      }
    });

    list.addEventListener('click', function (e) {
      const b = e.target.closest('button.cd-toggle');
      if (!b || !list.contains(b) || b.getAttribute('aria-disabled') === 'true') return;
      const id = b.getAttribute('data-cd-id');
      if (!shortlist.toggle(id)) {
        const coach = d.byId.get(id);
        const actions = b.parentNode;
        let note = actions.querySelector('.cd-card__note');
        if (!note) {
          note = el('p', { class: 'cd-card__note' });
          actions.appendChild(note);
        }
        note.textContent = s.shortlist_full;
        if (coach) coach.noted = true;
      }
    });

    shortlist.subscribe(function (event) {
      for (const coach of madeCards) {
        const pressed = shortlist.has(coach.id) ? 'true' : 'false';
        if (coach.button.getAttribute('aria-pressed') !== pressed) coach.button.setAttribute('aria-pressed', pressed);
        if (coach.noted && (!event || event.type !== 'full' || event.id !== coach.id)) {
          const note = coach.node.querySelector('.cd-card__note');
          if (note) note.remove();
          coach.noted = false;
        }
      }
    });

    /* --- put it on the page --- */
    readUrl();
    syncControls();
    filtersPanel.open = wide || uiFacets.some(function (f) { return f.selCount > 0; });
    for (const f of uiFacets) f.details.open = wide || f.selCount > 0;

    const results = el('div', { class: 'cd-results' });
    if (!panelHost) results.appendChild(createPanel(d, shortlist));
    results.appendChild(heading);
    results.appendChild(status);
    results.appendChild(list);
    results.appendChild(more);
    const layout = el('div', { class: 'cd-layout' }, [form, results]);
    const note = root.querySelector('.cd-nojs-note');
    if (note) {
      note.hidden = true;
      note.parentNode.insertBefore(layout, note.nextSibling);
    } else {
      root.insertBefore(layout, root.firstChild);
    }
    root.classList.add('cd-directory--ready');

    const t0 = performance.now();
    compute();
    renderCounts();
    renderList(true);
    status.textContent = statusText();
    record(t0);

    // Moving the server-rendered list may have taken the focus away: give it back.
    if (focusWasInside && document.activeElement !== before) focusEl(before.isConnected ? before : heading);

    return {
      root: root,
      onPopState: function () {
        cancelReplace();
        const beforeKey = stateUrl();
        readUrl();
        syncControls();
        if (stateUrl() === beforeKey) return;
        const t1 = performance.now();
        limit = PAGE_SIZE;
        update(t1);
      }
    };
  }

  /* ---------- start ---------- */

  function sameOriginUrl(raw) {
    const u = parseUrl(text(raw).trim(), location.href);
    if (!u || !text(raw).trim() || u.origin !== location.origin) return null;
    return u.href;
  }

  const activeShortlists = [];
  const seen = new WeakSet();

  // Sets up whatever is new on the page; null when there is nothing to do.
  function init() {
    const root = document.getElementById('cd-directory');
    const toggles = Array.prototype.slice.call(document.querySelectorAll('.cd-shortlist-toggle'));
    const panelHost = document.getElementById('cd-shortlist');
    const fresh = [root].concat(toggles, [panelHost]).filter(function (node) {
      return node && !seen.has(node);
    });
    if (!fresh.length) return null;
    let url = null;
    for (const node of [root].concat(toggles, [panelHost])) {
      url = node ? sameOriginUrl(node.getAttribute('data-data-url')) : null;
      if (url) break;
    }
    if (!url) return null;
    for (const node of fresh) seen.add(node);
    return loadData(url).then(function (d) {
      const shortlist = createShortlist(d);
      activeShortlists.push(shortlist);
      if (root && fresh.indexOf(root) !== -1) {
        currentDirectory = setupDirectory(root, d, shortlist, panelHost);
      }
      if (panelHost && fresh.indexOf(panelHost) !== -1) panelHost.appendChild(createPanel(d, shortlist));
      for (const host of toggles) if (fresh.indexOf(host) !== -1) setupToggle(host, d, shortlist);
      return true;
    }).catch(function (err) {
      // Leave the server-rendered page as it is.
      if (window.console && console.warn) console.warn(err);
      return false;
    });
  }

  window.addEventListener('popstate', function () {
    if (currentDirectory && currentDirectory.root.isConnected) currentDirectory.onPopState();
  });
  window.addEventListener('storage', function (e) {
    if (e.key !== null && e.key !== STORAGE_KEY) return;
    for (const shortlist of activeShortlists) shortlist.reload();
  });

  let booted = false;
  function boot() {
    const job = init();
    if (!booted) {
      booted = true;
      (job || Promise.resolve(false)).then(resolveReady, function () { resolveReady(false); });
    } else if (job) {
      api.ready = job;
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();

  // mkdocs-material's instant navigation swaps pages without reloading scripts.
  if (window.document$ && typeof window.document$.subscribe === 'function') {
    window.document$.subscribe(function () {
      if (booted) boot();
    });
  }
})();
