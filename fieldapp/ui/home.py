"""Home: questionnaires to start, drafts to resume, sent-back and finalised interviews,
today's counts, and the Sync button with the last sync time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fieldapp.i18n import UI_LANGUAGES, _, format_date, format_datetime, ngettext
from fieldapp.ui import fonts, style
from fieldapp.ui.first_run import CITIES
from fieldapp.ui.qt import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from fieldapp.ui.widgets import button, card, label, repolish

ROLE_ID = Qt.ItemDataRole.UserRole


def _list(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName("homeList")
    widget.setAccessibleName(name)
    widget.setWordWrap(True)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    widget.setUniformItemSizes(False)
    return widget


def _item(text: str, data: str, *, tooltip: str = "") -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(ROLE_ID, data)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def _placeholder(widget: QListWidget, text: str) -> None:
    item = QListWidgetItem(text)
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    widget.addItem(item)


class HomeView(QWidget):
    """The enumerator's day. Signals carry ids; the main window does the work."""

    start = Signal(str)  # form_id
    resume = Signal(str)  # interview_id
    sync = Signal()
    settings = Signal()
    lock = Signal()
    discard = Signal(str)  # interview_id of a draft to discard (after asking)

    def __init__(self, session: Any, *, lang: str = "en") -> None:
        super().__init__()
        self.session = session
        self.lang = lang
        self.setStyleSheet(style.stylesheet())
        outer = QVBoxLayout(self)

        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._header())
        body = QGridLayout()
        body.setContentsMargins(20, 16, 20, 16)
        body.setHorizontalSpacing(16)
        outer.addLayout(body, 1)
        self.forms = _list(_("Questionnaires"))
        self.drafts = _list(_("Drafts"))
        self.sent_back = _list(_("Sent back by the supervisor"))
        self.finalised = _list(_("Finalised"))
        self.start_button = button(_("Start interview"), name="primary")
        self.resume_button = button(_("Resume"))
        self.discard_button = button(_("Discard…"))
        self.today = label("", name="muted")
        body.addWidget(self._column(_("New interview"), self.forms, self.start_button,
                                    self.today), 0, 0)
        draft_buttons = QWidget()
        draft_row = QHBoxLayout(draft_buttons)
        draft_row.setContentsMargins(0, 0, 0, 0)
        draft_row.addWidget(self.resume_button, 1)
        draft_row.addWidget(self.discard_button)
        body.addWidget(self._column(_("Drafts"), self.drafts, draft_buttons), 0, 1)
        right = QVBoxLayout()
        right.addWidget(self._column(_("Sent back by the supervisor"), self.sent_back), 1)
        right.addWidget(self._column(_("Finalised"), self.finalised), 1)
        holder = QWidget()
        holder.setLayout(right)
        right.setContentsMargins(0, 0, 0, 0)
        body.addWidget(holder, 0, 2)
        for column in range(3):
            body.setColumnStretch(column, 1)
        self.status = label("", name="muted")
        self.status.setContentsMargins(20, 0, 20, 12)
        outer.addWidget(self.status)

        self.forms.itemActivated.connect(lambda item: self._emit(self.start, item))
        self.start_button.clicked.connect(lambda: self._emit(self.start,
                                                             self.forms.currentItem()))
        for widget in (self.drafts, self.sent_back):
            widget.itemActivated.connect(lambda item: self._emit(self.resume, item))
        self.resume_button.clicked.connect(
            lambda: self._emit(self.resume, self.drafts.currentItem()))
        self.discard_button.clicked.connect(
            lambda: self._emit(self.discard, self.drafts.currentItem()))
        #: Tab order, wrapping around (Qt's focus chain skipped the header's buttons)
        self.tab_ring: list[QWidget] = [
            self.forms, self.start_button, self.drafts, self.resume_button,
            self.discard_button, self.sent_back, self.finalised, self.sync_button,
            self.settings_button, self.lock_button]
        for widget in self.tab_ring:  # Enter on a focused button presses it, as Space does
            if isinstance(widget, QPushButton):
                widget.setAutoDefault(True)
        self.setFocusProxy(self.forms)
        self.refresh()

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab / Shift+Tab walk :attr:`tab_ring` (enabled, visible widgets), wrapping."""
        ring = [w for w in self.tab_ring if w.isEnabled() and w.isVisible()]
        current = QApplication.focusWidget()
        if not ring or current not in self.tab_ring:
            return super().focusNextPrevChild(next)
        start = self.tab_ring.index(current)
        step = 1 if next else -1
        for offset in range(1, len(self.tab_ring) + 1):
            candidate = self.tab_ring[(start + step * offset) % len(self.tab_ring)]
            if candidate in ring:
                reason = (Qt.FocusReason.TabFocusReason if next
                          else Qt.FocusReason.BacktabFocusReason)
                candidate.setFocus(reason)
                return True
        return False

    def _header(self) -> QFrame:
        header = QFrame()
        header.setObjectName("header")
        row = QHBoxLayout(header)
        row.setContentsMargins(20, 12, 20, 12)
        keyring = self.session.keyring
        texts = QVBoxLayout()
        city = _(CITIES[keyring.city]) if keyring.city in CITIES else keyring.city
        who = _("Enumerator {id}").format(id=keyring.enumerator)
        title = _("{who} · {city}").format(who=who, city=city) if city else who
        texts.addWidget(label(title, font=fonts.font(self.lang, "title", bold=True)))
        self.subtitle = label("", name="muted")
        texts.addWidget(self.subtitle)
        row.addLayout(texts, 1)
        self.sync_label = label("", name="muted", wrap=False)
        row.addWidget(self.sync_label, alignment=Qt.AlignmentFlag.AlignVCenter)
        self.sync_button = button(_("Sync"), name="primary")
        self.settings_button = button(_("Settings"))
        self.lock_button = button(_("Lock"))
        self.sync_button.clicked.connect(self.sync)
        self.settings_button.clicked.connect(self.settings)
        self.lock_button.clicked.connect(self.lock)
        for widget in (self.sync_button, self.settings_button, self.lock_button):
            row.addWidget(widget, alignment=Qt.AlignmentFlag.AlignVCenter)
        return header

    def _column(self, title: str, *widgets: QWidget) -> QFrame:
        frame, layout = card()
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(label(title, font=fonts.font(self.lang, "ui", 1.15, bold=True)))
        for widget in widgets:
            layout.addWidget(widget, 1 if isinstance(widget, QListWidget) else 0)
        return frame

    def _emit(self, signal: Any, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(ROLE_ID):
            signal.emit(str(item.data(ROLE_ID)))

    def refresh(self) -> None:
        """Reload lists and counts from the store."""
        summary = self.session.home_summary(self.lang)
        self._fill(summary)

    def _fill(self, summary: Any) -> None:
        self.subtitle.setText(format_date(dt.date.today(), "full", self.lang))
        self.sync_label.setText(_("Last sync: {when}").format(
            when=format_datetime(summary.last_sync)) if summary.last_sync
            else _("Not synced yet"))
        self.forms.clear()
        for form in summary.forms:
            self.forms.addItem(_item(_("{title}\nVersion {version}").format(
                title=form.title, version=form.version), form.form_id))
        if not summary.forms:
            _placeholder(self.forms, _("No questionnaires are installed."))
        self.forms.setCurrentRow(0)
        self._fill_list(self.drafts, summary.drafts, self._draft_text, _("No drafts."))
        self._fill_list(self.sent_back, summary.sent_back, self._sent_back_text,
                        _("Nothing was sent back."))
        self._fill_list(self.finalised, summary.finalised, self._final_text,
                        _("No finalised interviews yet."))
        self.resume_button.setEnabled(bool(summary.drafts))
        self.discard_button.setEnabled(bool(summary.drafts))
        started = ngettext("{n} interview started", "{n} interviews started",
                           summary.started_today).format(n=summary.started_today)
        done = ngettext("{n} finalised", "{n} finalised",
                        summary.finalised_today).format(n=summary.finalised_today)
        self.today.setText(_("Today: {started}, {finalised}.").format(started=started,
                                                                      finalised=done))

    def _fill_list(self, widget: QListWidget, items: list[Any], text: Any,
                   empty: str) -> None:
        widget.clear()
        for entry in items:
            widget.addItem(_item(text(entry), entry.interview_id, tooltip=entry.interview_id))
        if not items:
            _placeholder(widget, empty)
        widget.setCurrentRow(0)

    def _case_lines(self, item: Any, *, stopped: bool = True) -> str:
        """Who and where: the case label (or the place), form, language and where it stopped."""
        place = " ".join(p for p in (item.district, item.dong) if p)
        first = item.label or place or _("(no identifier yet)")
        facts = [item.form_title or item.title]
        if item.label and place:
            facts.append(place)
        if item.language:
            facts.append(UI_LANGUAGES.get(item.language, item.language))
        if item.last and stopped:
            facts.append(_("stopped at {question}").format(question=item.last))
        return f"{first}\n{' · '.join(facts)}"

    def _draft_text(self, item: Any) -> str:
        return _("{case}\nStarted {started} · saved {saved}").format(
            case=self._case_lines(item), started=format_datetime(item.created),
            saved=format_datetime(item.updated))

    def _sent_back_text(self, item: Any) -> str:
        comment = item.comment or _("no comment given")
        return _("{case}\nSupervisor: {comment}").format(case=self._case_lines(item),
                                                         comment=comment)

    def _final_text(self, item: Any) -> str:
        state = (_("acknowledged by the hub") if item.acked else _("sent") if item.sent
                 else _("not sent yet"))
        return _("{case}\nFinalised {when} · {state}").format(
            case=self._case_lines(item, stopped=False), when=format_datetime(item.updated),
            state=state)

    def show_message(self, text: str, *, error: bool = False) -> None:
        """A one-line status under the lists."""
        self.status.setObjectName("error" if error else "muted")
        self.status.setText(text)
        repolish(self.status)
