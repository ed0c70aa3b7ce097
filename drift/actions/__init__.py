"""What the commands other than the scans do, without click: diff, init, sync, plan and
apply, baseline."""
