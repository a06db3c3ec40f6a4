# What both job scripts do around the module's Invoke-OberaConnectJob: the preferences of an unattended run, the early
# log, importing the module with its exit code, and exit 4 for an error nothing else reported. Invoke-OberaConnectJob.ps1
# and NinjaOne-OberaConnectSync.ps1 dot-source this file; the module build writes it into each of them in place of that
# line, so each ships as one file (NinjaOne uploads a script alone). Edit it here, never in out/.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# -WhatIf/-Confirm prompts are impossible here: never ask.
$ConfirmPreference = 'None'

# Until the module is loaded the script can only log by itself: to the host (the scheduler or the agent keeps it),
# and to the file that $script:EarlyLogFile writes a line to, when the script sets one.
$script:EarlyLogFile = $null
function Write-EarlyLog([string] $Kind, [string] $Message) {
    $line = '{0:yyyy-MM-dd HH:mm:ss}Z {1} {2}' -f [DateTime]::UtcNow, $Kind, ($Message -replace '\s*[\r\n]+\s*', ' ')
    Write-Host $line
    if ($script:EarlyLogFile) { & $script:EarlyLogFile $line }
}

# Imports the module and runs $Run (a call of Invoke-OberaConnectJob); returns the exit code of about_OberaConnect_Unattended.
# $Run runs in this function's scope: its parameter names must not hide the script's ($Job, $ModulePath).
function Invoke-WithModule([string] $ModuleToImport, [scriptblock] $Run) {
    try {
        try {
            Import-Module $ModuleToImport -ErrorAction Stop
        }
        catch {
            # Not there: the setup is wrong (2). There but failing to load: the installed module is broken (4).
            $missing = $_.FullyQualifiedErrorId -like 'Modules_ModuleNotFound*' -or $_.FullyQualifiedErrorId -like 'Modules_ModuleFileNotFound*'
            Write-EarlyLog 'ERROR' "cannot import the module '$ModuleToImport' [$($_.FullyQualifiedErrorId)]: $($_.Exception.Message)"
            if ($missing) { return 2 }
            return 4
        }
        $outcome = & $Run
        return $outcome.Code
    }
    catch {
        # Invoke-OberaConnectJob reports every failure of a job in its outcome: an error here is a defect of the module.
        Write-EarlyLog 'UNEXPECTED' "$($_.Exception.GetType().FullName): $($_.Exception.Message)"
        Write-EarlyLog 'UNEXPECTED' "$($_.ScriptStackTrace)"
        return 4
    }
}
