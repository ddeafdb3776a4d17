#!/bin/sh
# The daily jobs, in a loop that sleeps until MUTUALIS_DAILY_AT (HH:MM, local time from TZ) each day:
# simpler than a cron daemon in a container, and every command is safe to run twice. Each job's failure is
# logged and the others still run. Backups go to /backups/AAAA-MM-JJ, kept MUTUALIS_BACKUP_DAYS days.
set -u
at="${MUTUALIS_DAILY_AT:-06:00}"
keep="${MUTUALIS_BACKUP_DAYS:-14}"

log() { printf '{"time":"%s","level":"%s","logger":"mutualis.daily","message":"%s"}\n' "$(date -u +%FT%TZ)" "$1" "$2"; }

run() {
  if mutualis "$@"; then log INFO "$1 : fait"; else log ERROR "$1 : échec (code $?)"; fi
}

while true; do
  now=$(date +%s)
  next=$(date -d "today $at" +%s)
  [ "$next" -gt "$now" ] || next=$(date -d "tomorrow $at" +%s)
  log INFO "prochaine exécution : $(date -d "@$next" '+%F %R')"
  sleep $((next - now))
  run send_contract_alerts
  run send_evaluation_reminders
  run send_portal_alerts
  run refresh_steering_cube
  run prune_db_task_results
  run purge_exports
  run backup "/backups/$(date +%F)"
  find /backups -mindepth 1 -maxdepth 1 -type d -mtime "+$keep" -exec rm -rf {} +
done
