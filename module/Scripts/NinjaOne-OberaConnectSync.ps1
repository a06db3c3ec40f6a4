<#
.SYNOPSIS
    NinjaOne automation script: runs OberaConnect jobs on the agent and reports the result as its exit code.

.DESCRIPTION
    NinjaOne runs automation scripts as SYSTEM with the device's Windows PowerShell 5.1, without a console to
    answer prompts. Settings come from NinjaOne script variables, which the agent passes as environment
    variables (strings). Create these script variables in NinjaOne (names are not case-sensitive):

        OBERACONNECT_JOB          Required. OberaConnect cmdlet(s) to run, separated by ';', in order.
        OBERACONNECT_MODULE_PATH  Optional. Module name or full path of OberaConnect.psd1 (default: OberaConnect).
        OBERACONNECT_CONFIG       Optional. Passed to each job as -ConfigPath when the job has that parameter.
        OBERACONNECT_SKIP_HEALTH_CHECK  Optional. 1 skips the health check before the jobs.

    Before the jobs, when any of them uses the configuration (has -ConfigPath), Test-OberaConnectHealth runs once:
    a required component unhealthy (configuration, Notion token, a database or its schema) stops the run before any
    job with exit 2 or 3; an optional one (Key Vault, UniFi, NinjaOne) lets the jobs run and makes the result at least 3.

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

    # Once before the jobs, when any of them uses the configuration (the health jobs check it themselves).
    $health = $null
    $needsHealth = @($jobs | Where-Object {
            $found = Get-Command -Name $_ -Module OberaConnect -CommandType Cmdlet -ErrorAction SilentlyContinue
            $found -and $found.Parameters.ContainsKey('ConfigPath') -and $found.Name -notin @('Test-OberaConnectHealth', 'Export-OberaConnectMetric')
        }).Count -gt 0
    if ($needsHealth -and $env:OBERACONNECT_SKIP_HEALTH_CHECK -ne '1') {
        $healthParameters = @{}
        if ($env:OBERACONNECT_CONFIG) { $healthParameters['ConfigPath'] = $env:OBERACONNECT_CONFIG }
        try {
            $components = @(Test-OberaConnectHealth @healthParameters -ErrorAction Stop)
            $health = $components | Get-OberaConnectExitCode
        }
        catch {
            Write-Log "ERROR health check [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)"
            $components = @()
            $health = Get-OberaConnectExitCode -Exception $_.Exception
        }
        foreach ($component in $components) {
            if ("$($component.Status)" -ne 'Healthy') {
                Write-Log "HEALTH $($component.Component) $($component.Status) [$($component.ErrorId)]: $($component.Reason)"
            }
        }
        $blocking = @($components | Where-Object { "$($_.Status)" -eq 'Unhealthy' -and "$($_.Importance)" -eq 'Required' })
        if ($health.Code -ne 0 -and ($blocking.Count -gt 0 -or $components.Count -eq 0)) {
            Write-Log "SKIPPED every job: required component(s) unhealthy: $(($blocking | ForEach-Object { $_.Component }) -join ', ')"
            Write-Log "RESULT $health"
            exit $health.Code
        }
    }

    $outcomes = foreach ($job in $jobs) {
        $command = Get-Command -Name $job -Module OberaConnect -CommandType Cmdlet -ErrorAction SilentlyContinue
        if (-not $command) {
            Write-Log "ERROR '$job' is not a cmdlet of the OberaConnect module."
            Get-OberaConnectExitCode -InputObject ([pscustomobject]@{ ExitCode = $ConfigurationError })
            continue
        }
        $parameters = @{}
        if ($env:OBERACONNECT_CONFIG -and $command.Parameters.ContainsKey('ConfigPath')) {
            $parameters['ConfigPath'] = $env:OBERACONNECT_CONFIG
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
    # An optional component down while every job succeeded is still exit 3.
    $total = @($health) + @($outcomes) | Where-Object { $null -ne $_ } | Get-OberaConnectExitCode
    Write-Log "RESULT $total"
    $exitCode = $total.Code
}
catch {
    Write-Log "UNEXPECTED $($_.Exception.GetType().FullName): $($_.Exception.Message)"
    $exitCode = $Unexpected
}
exit $exitCode
