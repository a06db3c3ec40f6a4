<#
.SYNOPSIS
    NinjaOne automation script: runs OberaConnect jobs on the agent and reports the result as its exit code.

.DESCRIPTION
    NinjaOne runs automation scripts as SYSTEM with the device's Windows PowerShell 5.1, without a console to
    answer prompts. Settings come from NinjaOne script variables, which the agent passes as environment
    variables (strings). Create these script variables in NinjaOne (names are not case-sensitive):

        OBERACONNECT_JOB          Required. OberaConnect cmdlet(s) to run, separated by ';', in order.
        OBERACONNECT_PARAMETERS   Optional. The jobs' parameters: the path of a .psd1 or .json file on the device, or a
                                  JSON object, flat ({"All": true}: each job that has the parameter gets it) or per job
                                  ({"Export-NotionDatabase": {"All": true}}). See about_OberaConnect_Unattended.
        OBERACONNECT_CONFIG       Optional. Passed to each job as -ConfigPath when the job has that parameter.
        OBERACONNECT_MODULE_PATH  Optional. Module name or full path of OberaConnect.psd1 (default: OberaConnect).
        OBERACONNECT_SKIP_HEALTH_CHECK  Optional. 1 skips the health check before the jobs.
        OBERACONNECT_ACCEPT_CONFLICTS   Optional. 1: records Sync-NotionTable leaves in conflict do not make the code 1.

    The work is the module's Invoke-OberaConnectJob cmdlet: the health check once per configuration before the jobs
    (a required component unhealthy stops the jobs with exit 2 or 3; an optional one lets them run and makes the result
    at least 3), each job with its failed records and conflicts logged one line each, the run log in
    paths.logDirectory, and the exit code. The agent shows the same lines in the script's output.

    Credentials are never script variables typed into NinjaOne: the module reads them from Azure Key Vault or
    from environment variables set on the device.

    Exit code (about_OberaConnect_Unattended): 0 success; 1 some records failed or were left in conflict; 2 the setup
    is wrong (configuration, credentials, parameters); 3 a service is unreachable or unhealthy; 4 a defect in the
    module. NinjaOne marks the run failed on non-zero.
#>

. "$PSScriptRoot/JobScript.Common.ps1"
# The agent keeps the output of every run: the early log needs no file of its own.
$env:OBERACONNECT_UNATTENDED = '1'

$modulePath = if ($env:OBERACONNECT_MODULE_PATH) { $env:OBERACONNECT_MODULE_PATH } else { 'OberaConnect' }
exit (Invoke-WithModule $modulePath {
    Invoke-OberaConnectJob -Job "$env:OBERACONNECT_JOB" -Parameters "$env:OBERACONNECT_PARAMETERS" -ConfigPath "$env:OBERACONNECT_CONFIG" `
        -SkipHealthCheck:($env:OBERACONNECT_SKIP_HEALTH_CHECK -eq '1') -AcceptConflict:($env:OBERACONNECT_ACCEPT_CONFLICTS -eq '1')
})
