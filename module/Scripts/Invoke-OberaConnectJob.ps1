#Requires -Version 5.1
<#
.SYNOPSIS
    Runs one OberaConnect job unattended, logs it, and exits with the code of about_OberaConnect_Unattended.

.DESCRIPTION
    The job script for Task Scheduler. Copy it to a fixed place and register it with
    Register-OberaConnectScheduledTask, which starts it as

        pwsh.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File C:\OberaConnect\Invoke-OberaConnectJob.ps1 -Job <cmdlet>

    It runs the same under Windows PowerShell 5.1 (powershell.exe, same arguments) and on Linux (pwsh from cron or a
    systemd timer).

    The work is the module's Invoke-OberaConnectJob cmdlet: the health check, the job, one log line per failed record
    and conflict, the run log in paths.logDirectory and the exit code; this script only loads the module and exits
    with the code. 0 success, 1 some records failed (or were left in conflict), 2 configuration or credential error,
    3 a service unreachable or unhealthy, 4 a defect in the module. It never prompts.

.PARAMETER Job
    The OberaConnect cmdlet to run, for example Sync-CustomerStatus. Several, separated by ';', run in order.

.PARAMETER ParameterFile
    The job's parameters: a .psd1 file holding a hashtable (@{ ConfigPath = 'C:\OberaConnect\config.json'; Summary = $true }),
    a .json file holding an object, or JSON object text. See about_OberaConnect_Unattended.

.PARAMETER ModulePath
    The module to import: its name (installed module) or the full path of OberaConnect.psd1.

.PARAMETER LogDirectory
    Where the run log goes. Default: paths.logDirectory of the job's configuration (%ProgramData%\OberaConnect\logs for
    SYSTEM, ~/.local/state/oberaconnect/logs on Linux, or the folder in OBERACONNECT_LOG_DIR).

.PARAMETER KeepLogDays
    Run logs older than this many days are deleted at the start of a run.

.PARAMETER SkipHealthCheck
    Runs the job without the health check before it. By default a job that uses the configuration (a cmdlet with a
    -ConfigPath parameter) first runs the health check on the same configuration: when a required component
    (configuration, Notion token, a database or its schema) is unhealthy the job is not started and the run exits 2
    (fix the setup) or 3 (a service is down); when only an optional one is (Key Vault, UniFi, NinjaOne) the job runs
    and the run exits at least 3, so a partial outage is never reported as success.

.PARAMETER AcceptConflict
    Records Sync-NotionTable leaves in conflict do not make the exit code 1 (for a -ConflictAction Flag job whose
    conflicts a person settles later). They are still logged, one line each.

.EXAMPLE
    pwsh.exe -NoProfile -NonInteractive -File C:\OberaConnect\Invoke-OberaConnectJob.ps1 -Job Sync-CustomerStatus -ParameterFile C:\OberaConnect\sync.psd1

.EXAMPLE
    pwsh.exe -NoProfile -NonInteractive -File C:\OberaConnect\Invoke-OberaConnectJob.ps1 -Job Export-NotionDatabase -ParameterFile C:\OberaConnect\export.json

    export.json: { "ConfigPath": "C:\\OberaConnect\\config.json", "All": true }. Exits 1 when a database could not be
    exported (the log names it), 3 when Notion cannot be reached.

.EXAMPLE
    pwsh.exe -NoProfile -NonInteractive -File C:\OberaConnect\Invoke-OberaConnectJob.ps1 -Job Export-OberaConnectMetric -ParameterFile C:\OberaConnect\metrics.psd1

    Writes the health metrics for the textfile collector (metrics.psd1: @{ Path = 'C:\Program Files\windows_exporter\textfile_inputs\oberaconnect.prom' })
    and exits 0, 2 or 3 from the health check.
#>
[CmdletBinding()]
param(
    # No default: a scheduled task names its job (for example Sync-CustomerStatus); none given exits 2.
    [string] $Job = '',
    [string] $ParameterFile = '',
    [string] $ModulePath = 'OberaConnect',
    [string] $LogDirectory = '',
    [ValidateRange(1, 3650)]
    [int] $KeepLogDays = 30,
    [switch] $SkipHealthCheck,
    [switch] $AcceptConflict
)

. "$PSScriptRoot/JobScript.Common.ps1"

# The run log of this script, until the module's own takes over: in -LogDirectory or the module's default log folder
# (OBERACONNECT_LOG_DIR, else per account and platform).
$script:Started = [DateTime]::UtcNow
$script:EarlyLogFile = {
    param([string] $line)
    try {
        $folder = $LogDirectory
        if (-not $folder) { $folder = $env:OBERACONNECT_LOG_DIR }
        if (-not $folder -and [Environment]::OSVersion.Platform -eq 'Win32NT') {
            # The module's rule: service accounts (SYSTEM, a task's usual account) log under ProgramData, people under LocalAppData.
            $service = [Environment]::UserName -in @('SYSTEM', 'LOCAL SERVICE', 'NETWORK SERVICE') -or [Environment]::UserName -like '*$' -or
                "$env:USERPROFILE" -match 'systemprofile|ServiceProfiles'
            $root = if ($service) { 'CommonApplicationData' } else { 'LocalApplicationData' }
            $folder = Join-Path ([Environment]::GetFolderPath($root)) 'OberaConnect\logs'
        }
        if (-not $folder) {
            $state = if ($env:XDG_STATE_HOME) { $env:XDG_STATE_HOME } else { Join-Path $HOME '.local/state' }
            $folder = Join-Path $state 'oberaconnect/logs'
        }
        $null = New-Item -ItemType Directory -Path $folder -Force
        $file = Join-Path $folder ('OberaConnectJob-{0:yyyyMMdd-HHmmss}-{1}.log' -f $script:Started, $PID)
        [System.IO.File]::AppendAllText($file, $line + [Environment]::NewLine)
    }
    catch {
        Write-Host "WARNING no run log file: $($_.Exception.Message)"
    }
}

exit (Invoke-WithModule $ModulePath {
    Invoke-OberaConnectJob -Job $Job -Parameters $ParameterFile -LogDirectory $LogDirectory -KeepLogDays $KeepLogDays `
        -SkipHealthCheck:$SkipHealthCheck -AcceptConflict:$AcceptConflict
})
