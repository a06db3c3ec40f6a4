#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What a user sees while the module works: -Debug shows each HTTP exchange (redacted, shortened) and never prompts
    by itself, also in a script without a terminal; progress says how many of how many, the percentage and the time
    left, and a wait Notion asked for shows as such; -ProgressAction is respected; results of piped input come back
    in the input's order although writes run three at a time.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')
    $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'fake')
    $script:Config = $script:Fake.ConfigPath
    $null = @('Acme Corp', 'Globex') | ForEach-Object { [pscustomobject]@{ SiteName = $_; DevicesOnline = 4; DevicesTotal = 5 } } | Sync-CustomerStatus -ConfigPath $script:Config

    function Invoke-InRunspace {
        <# Runs a script in a fresh runspace with the module imported; returns its output and its progress records. #>
        param([string] $Script, [hashtable] $Arguments = @{})
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module -Name '$($script:ManifestPath)'").AddStatement().AddScript($Script)
            foreach ($key in $Arguments.Keys) { $null = $ps.AddParameter($key, $Arguments[$key]) }
            $output = $ps.Invoke()
            [pscustomobject]@{ Output = @($output); Progress = @($ps.Streams.Progress); Errors = @($ps.Streams.Error) }
        }
        finally {
            $ps.Dispose()
        }
    }
}

AfterAll {
    Stop-OberaNotionFake $script:Fake
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe '-Debug' {
    It 'writes each HTTP exchange to the Debug stream, redacted and shortened, and nothing without -Debug' {
        $records = @(Get-CustomerStatus -Site 'Acme Corp' -ConfigPath $script:Config -Debug 5>&1)
        $debug = @($records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
        $exchanges = @($debug | Where-Object { $_ -like 'HTTP Notion *' })
        $exchanges.Count | Should -BeGreaterThan 0
        $exchanges[0] | Should -Match '^HTTP Notion POST http://127\.0\.0\.1:\d+/v1/data_sources/[0-9a-f-]+/query -> 200 OK in \d+ ms \(attempt 1, request id [0-9a-f-]+\)'
        $exchanges[0] | Should -Match '\n  request: \{"page_size"'
        $exchanges[0] | Should -Match '\n  response: \{"object":"list"'
        ($debug -join "`n") | Should -Not -Match ([regex]::Escape($script:Fake.Token))
        # The -Debug switch made -Verbose messages Inquire: they are debug messages instead, so nothing asks.
        $debug | Should -Contain ($debug | Where-Object { $_ -like 'Get-CustomerStatus correlation id *' })
        @($records | Where-Object { $_ -isnot [System.Management.Automation.DebugRecord] }).SiteName | Should -Be 'Acme Corp'

        @(Get-CustomerStatus -Site 'Acme Corp' -ConfigPath $script:Config 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }) | Should -BeNullOrEmpty
    }

    It 'cuts long bodies' {
        $debug = @(Get-NotionPage -Database CustomerSites -ConfigPath $script:Config -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
        ($debug | Where-Object { $_ -like 'HTTP Notion POST*' } | Select-Object -First 1) | Should -Match 'more characters\]'
    }

    It 'neither prompts nor fails in a script without a terminal' {
        $script = "Import-Module '$($script:ManifestPath)'; Get-CustomerStatus -Site 'Acme Corp' -ConfigPath '$($script:Config)' -Debug | Out-Null; " +
                  "Sync-CustomerStatus -SiteName 'Globex' -DevicesOnline 5 -DevicesTotal 5 -ConfigPath '$($script:Config)' -Debug | Out-Null; 'finished'"
        $start = [System.Diagnostics.ProcessStartInfo]::new((Get-TestPowerShell))
        foreach ($argument in '-NoProfile', '-Command', $script) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $start.Environment['OBERACONNECT_NOTION_TOKEN'] = $script:Fake.Token
        $process = [System.Diagnostics.Process]::Start($start)
        $process.StandardInput.Close()
        $errorText = $process.StandardError.ReadToEndAsync()
        $output = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit(120000) | Should -BeTrue
        $text = $output + $errorText.Result
        $process.ExitCode | Should -Be 0 -Because $text
        $text | Should -Match 'DEBUG: HTTP Notion POST'
        $text | Should -Match 'DEBUG: HTTP Notion PATCH'
        $text | Should -Not -Match 'Continue with this operation'
        $text | Should -Not -Match 'Object reference not set'
        $text | Should -Match 'finished'
    }
}

Describe 'Progress' {
    BeforeAll {
        # Every Sample site, read whole: the total is known before the first write.
        $script:SourceRun = Invoke-InRunspace -Script 'param($Config) Sync-CustomerStatus -Source Sample -ConfigPath $Config -WarningAction SilentlyContinue' -Arguments @{ Config = $script:Config }
        # Notion answers 429 past one request a second here: the run waits as asked, and shows it.
        $script:Slow = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'slow') -RateLimit 1
        $sites = 'Slow One', 'Slow Two', 'Slow Three', 'Slow Four', 'Slow Five'
        try {
            $script:SlowRun = Invoke-InRunspace -Script 'param($Config, $Sites) $Sites | ForEach-Object { [pscustomobject]@{ SiteName = $_; DevicesOnline = 1; DevicesTotal = 1 } } | Sync-CustomerStatus -ConfigPath $Config' -Arguments @{ Config = $script:Slow.ConfigPath; Sites = $sites }
        }
        finally {
            # Stopping it gives the first fake its token back (OBERACONNECT_NOTION_TOKEN) for the tests below.
            Stop-OberaNotionFake $script:Slow
        }
    }

    It 'says how many of how many, the percentage and the time left when the total is known' {
        $script:SourceRun.Errors | Should -BeNullOrEmpty
        $total = $script:SourceRun.Output.Count
        $total | Should -Be 100
        $records = @($script:SourceRun.Progress | Where-Object { $_.ActivityId -eq 2 -and $_.RecordType -eq 'Processing' })
        $records.Count | Should -BeGreaterThan 1
        $records | ForEach-Object { $_.StatusDescription | Should -Match "^\d+ of $total record\(s\) \(\d+%\): \d+ created, \d+ updated" }
        @($records | Where-Object { $_.PercentComplete -gt 0 -and $_.PercentComplete -lt 100 -and $_.SecondsRemaining -ge 0 -and $_.StatusDescription -match 'about \d+ (s|min) left$' }).Count |
            Should -BeGreaterThan 0
        $records[-1].PercentComplete | Should -Be 100
        $records[-1].StatusDescription | Should -Match '; done$'
        @($script:SourceRun.Progress | Where-Object { $_.ActivityId -eq 2 -and $_.RecordType -eq 'Completed' }).Count | Should -Be 1
    }

    It 'knows the total of -RetryFailed from the journal' {
        # Snapshots of sites Customer Sites does not hold yet fail and are journaled; once the sites exist, a retry has them all.
        $rows = 'Retry North', 'Retry South', 'Retry East' | ForEach-Object { [pscustomobject]@{ SiteName = $_; DevicesOnline = 2; DevicesTotal = 2 } }
        $null = $rows | Add-DailyHealthSnapshot -ConfigPath $script:Config -ErrorAction SilentlyContinue
        $null = $rows | Sync-CustomerStatus -ConfigPath $script:Config
        $run = Invoke-InRunspace -Script 'param($Config) Add-DailyHealthSnapshot -RetryFailed -ConfigPath $Config' -Arguments @{ Config = $script:Config }
        @($run.Output | Where-Object Status -eq 'Created').Count | Should -Be 3
        $last = @($run.Progress | Where-Object { $_.ActivityId -eq 2 -and $_.RecordType -eq 'Processing' })[-1]
        $last.StatusDescription | Should -Match '^3 of 3 record\(s\) \(100%\): 3 created'
        $last.PercentComplete | Should -Be 100
    }

    It 'shows a wait Notion asked for as such, and counts piped records at their rate' {
        $script:SlowRun.Errors | Should -BeNullOrEmpty
        @($script:SlowRun.Output | Where-Object Status -eq 'Created').Count | Should -Be 5
        $waits = @($script:SlowRun.Progress | Where-Object Activity -eq 'Waiting for Notion')
        $waits.Count | Should -BeGreaterThan 0
        $waits[0].StatusDescription | Should -Match '^Notion asked to slow down \(429 Too Many Requests\): waiting \d+\.\d s, as its Retry-After says$'
        $waits[0].SecondsRemaining | Should -BeGreaterThan 0
        $records = @($script:SlowRun.Progress | Where-Object { $_.ActivityId -eq 2 -and $_.RecordType -eq 'Processing' })
        $records[-1].StatusDescription | Should -Match '^5 record\(s\) done \(\d+\.\d/s\): 5 created'
        $records[-1].PercentComplete | Should -Be -1
    }

    It 'writes none when progress is switched off' {
        # -ProgressAction exists from PowerShell 7.4; Windows PowerShell has only the preference variable.
        $sync = '[pscustomobject]@{ SiteName = ''Quiet Site''; DevicesOnline = 1; DevicesTotal = 1 } | Sync-CustomerStatus -ConfigPath $Config'
        $script = if ($PSVersionTable.PSVersion -ge [version]'7.4') { "`$ProgressPreference = 'Continue'; $sync -ProgressAction SilentlyContinue" } else { "`$ProgressPreference = 'SilentlyContinue'; $sync" }
        $run = Invoke-InRunspace -Script "param(`$Config) $script" -Arguments @{ Config = $script:Config }
        $run.Output.Count | Should -Be 1
        @($run.Progress | Where-Object { $_.ActivityId -in 2, 9 }) | Should -BeNullOrEmpty
    }
}

Describe 'Order of results' {
    It 'returns piped records in their order although writes finish out of order' {
        # New sites need a write (sent three at a time); unchanged ones are done at once. Without ordering the
        # unchanged ones would come back first.
        $names = 'Zulu Dental', 'Acme Corp', 'Mike Clinic', 'Globex', 'Bravo Vet', 'Yankee Storage', 'Charlie Law', 'Xray Labs'
        $null = [pscustomobject]@{ SiteName = 'Acme Corp'; DevicesOnline = 4; DevicesTotal = 5 }, [pscustomobject]@{ SiteName = 'Globex'; DevicesOnline = 4; DevicesTotal = 5 } |
            Sync-CustomerStatus -ConfigPath $script:Config
        $rows = foreach ($name in $names) { [pscustomobject]@{ SiteName = $name; DevicesOnline = 4; DevicesTotal = 5 } }
        $results = @($rows | Sync-CustomerStatus -ConfigPath $script:Config)
        $results.Key | Should -Be $names
        ($results | Where-Object Key -eq 'Acme Corp').Status | Should -Be 'Unchanged'
        ($results | Where-Object Key -eq 'Zulu Dental').Status | Should -Be 'Created'
    }
}
