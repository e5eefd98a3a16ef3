"""Admin: sync status and "sync now", the e-mail notifications, feedback moderation, survey populations and the
sheet mirror.

Hidden from the navigation; the Smart City team opens it at /admin. Everything is behind the
password whose hash is in secrets.toml; without one, nothing here is reachable and no suggestion
is ever published.
"""

from __future__ import annotations

import streamlit as st

from components.admin_console import (
    admin_sign_out,
    admin_signed_in,
    sync_lock_panel,
    sync_results,
    sync_status_table,
)
from components.health_report import oc4ids_prefix_warning
from components.language import current_language
from components.log_status import log_warnings
from components.mail_status import mail_status
from components.moderation import mirror_panel, moderation_queue, population_settings
from components.void_batch import void_panel
from core.i18n import t
from core.survey import GENERAL
from core.survey_summary import OVERALL
from data_sources.published.sync_health import sheet_writes
from server.portal import get_portal

# How long the page waits for the transparency log's start-up check before saying it still runs: on the session's
# first run, then briefly on each later one (every click reruns the page; a check of a big store takes minutes).
LOG_CHECK_WAIT_S = 5.0
LOG_CHECK_RECHECK_S = 0.5

lang = current_language()
st.title(t("admin.title", lang), anchor=False)

portal = get_portal()
if admin_signed_in(lang, portal.config, portal.login_attempts, portal.admin_sessions):
    admin_sign_out(lang, portal.admin_sessions)
    # Above the tabs: a setting to change, whichever tab the admin came for.
    oc4ids_prefix_warning(portal.config.open_data.oc4ids_prefix, portal.config.open_data.enabled, lang)
    # The start-up check runs in the background: an admin who opens the page just after a start waits a little for
    # its finding rather than missing it.
    waited = st.session_state.get("_log_check_waited", False)
    checked = portal.log_check_done(wait_s=LOG_CHECK_RECHECK_S if waited else LOG_CHECK_WAIT_S)
    st.session_state["_log_check_waited"] = True
    log_warnings(portal.log_key(), portal.log_startup, lang, checking=not checked)
    # The open tab is the server's to keep (a key, and a run when it changes): left to the browser, a run that drew
    # a line more or less above the tabs (the log check's notice goes once it is done) made them new tabs, and the
    # admin who had just picked an address to void was sent back to the first tab.
    sync_tab, moderation_tab, survey_tab = st.tabs(
        [t("admin.tab.sync", lang), t("moderation.title", lang), t("feedback.responses_title", lang)],
        key="admin_tab",
        on_change="rerun",
    )
    program_names = {GENERAL: portal.feedback.questionnaire.general_choice.get(lang)}
    program_names.update({p.code: str(p.program["nama_program"]) for p in portal.overview().progress})
    with sync_tab:
        sync_lock_panel(portal.sync_lock_holder(), lang)
        sync_status_table(portal.source_states(), lang, sheet_writes(portal.store))
        if st.button(t("admin.sync_now", lang), icon=":material/sync:", type="primary"):
            with st.spinner(t("admin.syncing", lang)):
                st.session_state["admin_sync_outcomes"] = portal.sync_now()
            # Drawn again from the top, so the table above shows the sync just run (issue #26, item 14);
            # its outcomes wait in the session for that run.
            st.rerun()
        if "admin_sync_outcomes" in st.session_state:
            outcomes = st.session_state.pop("admin_sync_outcomes")
            if outcomes is None:
                st.info(t("admin.busy", lang), icon=":material/hourglass_top:")  # the lock panel above says who
            else:
                sync_results(outcomes, lang)
        # The mails a sync queued for the SKPDs, and whether they went: here beside the sync that made them.
        mail_status(portal.config.notify.enabled, portal.mail_outbox, lang)
    with moderation_tab:
        moderation_queue(portal.feedback_store, program_names, lang)
    with survey_tab:
        # "All programs" has its own population: summing the programs' would count twice a resident who
        # uses more than one of them.
        populations = {OVERALL: t("survey_results.scope.all", lang), **program_names}
        population_settings(portal.feedback_store, populations, lang)
        void_panel(portal.feedback_store, program_names, lang)
        configured = bool(portal.config.feedback.mirror_sheet)
        if mirror_panel(configured, portal.feedback_store.outbox_status(), lang):
            result = portal.mirror_now()
            if result is None or result.busy:
                st.info(t("mirror.busy", lang), icon=":material/hourglass_top:")
            else:
                counts = {"appended": result.appended, "already": result.already_there, "failed": result.failed}
                st.success(t("mirror.result", lang, **counts))
