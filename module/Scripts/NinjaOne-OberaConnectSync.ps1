<#
.SYNOPSIS
    NinjaOne automation script: runs OberaConnect jobs on the agent and reports the result as its exit code.

.DESCRIPTION
    NinjaOne runs automation scripts as SYSTEM with the device's Windows PowerShell 5.1, without a console to
    answer prompts. Settings come from NinjaOne script variables, which the agent passes as environment
    variables (strings). Create these script variables in NinjaOne (names are not case-sensitive):

        OBERACONNECT_JOB          Required. OberaConnect cmdlet(s) to run, separated by ';', in order.
        OBERACONNECT_MODULE_PATH  Optional. Module name or full path of OberaConnect.psd1 (default: OberaConnect).
        OBERACONNECT_CONFIG       Optional. Passed to each job as -ConfigurationPath when the job has that parameter.

    Credentials are never script variables typed into NinjaOne: the module reads them from Azure Key Vault or
    from environment variables set on the device.

    Exit code (about_OberaConnect_Unattended): 0 success; non-zero when any record failed (1), the setup is wrong (2),
    a component is unhealthy (3) or something unexpected happened (4). NinjaOne marks the run failed on non-zero.
#>

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$ConfirmPreference = 'None'
$env:OBERACONNECT_UNATTENDED = '1'

$ConfigurationError = 2
$Unexpected = 4

# Write-Host: the agent captures it, and it never mixes into the objects the jobs return.
function Write-Log([string] $Message) {
    Write-Host ('{0:yyyy-MM-dd HH:mm:ss}Z {1}' -f [DateTime]::UtcNow, $Message)
}

$exitCode = $Unexpected
try {
    $modulePath = if ($env:OBERACONNECT_MODULE_PATH) { $env:OBERACONNECT_MODULE_PATH } else { 'OberaConnect' }
    $jobs = @(($env:OBERACONNECT_JOB -split ';') | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    if ($jobs.Count -eq 0) {
        Write-Log 'ERROR the script variable OBERACONNECT_JOB is empty: set it to the OberaConnect cmdlet(s) to run.'
        exit $ConfigurationError
    }
    try {
        Import-Module $modulePath -ErrorAction Stop
    }
    catch {
        Write-Log "ERROR cannot import the module '$modulePath': $($_.Exception.Message)"
        exit $ConfigurationError
    }

    $outcomes = foreach ($job in $jobs) {
        $command = Get-Command -Name $job -Module OberaConnect -CommandType Cmdlet -ErrorAction SilentlyContinue
        if (-not $command) {
            Write-Log "ERROR '$job' is not a cmdlet of the OberaConnect module."
            Get-OberaConnectExitCode -InputObject ([pscustomobject]@{ ExitCode = $ConfigurationError })
            continue
        }
        $parameters = @{}
        if ($env:OBERACONNECT_CONFIG -and $command.Parameters.ContainsKey('ConfigurationPath')) {
            $parameters['ConfigurationPath'] = $env:OBERACONNECT_CONFIG
        }
        Write-Log "START $job"
        $itemErrors = @()
        try {
            $results = & $command @parameters -ErrorVariable itemErrors -ErrorAction Continue
            $outcome = $results | Get-OberaConnectExitCode -ItemError $itemErrors
        }
        catch {
            Write-Log "ERROR $job [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)"
            $outcome = Get-OberaConnectExitCode -ItemError $itemErrors -Exception $_.Exception
        }
        foreach ($failure in $itemErrors) {
            Write-Log "RECORD FAILED [$($failure.FullyQualifiedErrorId)] $($failure.TargetObject): $($failure.Exception.Message)"
        }
        Write-Log "DONE $job $outcome"
        $outcome
    }
    $total = $outcomes | Get-OberaConnectExitCode
    Write-Log "RESULT $total"
    $exitCode = $total.Code
}
catch {
    Write-Log "UNEXPECTED $($_.Exception.GetType().FullName): $($_.Exception.Message)"
    $exitCode = $Unexpected
}
exit $exitCode
