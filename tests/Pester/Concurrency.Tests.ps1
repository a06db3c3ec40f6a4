#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Many writers, one workspace, with real processes: child PowerShells started together write the same keys of Daily
    Health, Customer Sites and Config Changes, sharing one state directory (one machine: they take turns at creating) or
    each with its own (two machines: they create the same keys and converge after confirming them). Afterwards the fake
    holds exactly one page per key and exactly one process reported each key Created. A child killed with kill -9 while it
    holds the write lock leaves it free for the next run; a run that finds the lock held waits, says so under -Verbose and
    fails its creates with WriteLockTimeout naming the holder.
    Each child reads its index first and writes two seconds later (the records reach the cmdlet after a pause, and with
    notion.keyReadLimit 0 a run reads every page at once instead of reading its input's keys at its end), so every run
    plans its creates before any other run created anything: the race the issue describes, every time.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    $script:ManifestPath = (Resolve-Path -LiteralPath $script:ManifestPath).ProviderPath
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')
    $script:SavedEnvironment = Save-EnvironmentVariable 'OBERACONNECT_CONFIG', 'OBERACONNECT_UNATTENDED'
    foreach ($name in $script:SavedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $null) }

    function New-Site {
        param([string] $Name, [int] $Online = 10)
        [pscustomobject]@{ SiteName = $Name; DevicesOnline = $Online; DevicesTotal = 10; BackupStatus = 'Success'; UniFiStatus = 'Present'; NinjaOneStatus = 'Present' }
    }

    function Copy-Configuration {
        <#
            Another configuration file for the same workspace: with -Machine, a machine of its own (its own state, audit and
            journal folders); without, this machine's folders. -Notion overrides notion settings.
        #>
        param([string] $ConfigPath, [string] $Name, [switch] $Machine, [hashtable] $Notion = @{})
        $config = Get-Content -LiteralPath $ConfigPath -Raw | ConvertFrom-Json
        $folder = Join-Path (Split-Path -Parent $ConfigPath) $Name
        if ($Machine) {
            $config.paths = [pscustomobject]@{ stateDirectory = (Join-Path $folder 'state'); auditDirectory = (Join-Path $folder 'audit'); journalDirectory = (Join-Path $folder 'journal'); logDirectory = (Join-Path $folder 'logs') }
        }
        foreach ($key in $Notion.Keys) { $config.notion | Add-Member -NotePropertyName $key -NotePropertyValue $Notion[$key] -Force }
        $path = Join-Path $folder 'config.json'
        $null = New-Item -ItemType Directory -Path $folder -Force
        [System.IO.File]::WriteAllText($path, ($config | ConvertTo-Json -Depth 10), [System.Text.UTF8Encoding]::new($false))
        $path
    }

    function Invoke-Together {
        <#
            Runs $Command (a script using $Config) in one child PowerShell per configuration, all released at once, and returns
            each child's results (Key, Status, Reason, ErrorId) as a list per child. $While runs here once they are released.
        #>
        param([string[]] $Configs, [string] $Command, [scriptblock] $While)
        $folder = Join-Path $TestDrive ('together-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $null = New-Item -ItemType Directory -Path $folder
        $go = Join-Path $folder 'go'
        $children = for ($i = 0; $i -lt $Configs.Count; $i++) {
            $out = Join-Path $folder "child-$i.xml"
            $script = Join-Path $folder "child-$i.ps1"
            Set-Content -LiteralPath $script -Encoding utf8 -Value @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($script:ManifestPath)'
`$Config = '$($Configs[$i])'
Set-Content -LiteralPath '$out.ready' -Value ready
while (-not (Test-Path -LiteralPath '$go')) { Start-Sleep -Milliseconds 20 }
`$results = @($Command)
`$results | ForEach-Object { [pscustomobject]@{ Key = `$_.Key; Status = "`$(`$_.Status)"; Reason = `$_.Reason; ErrorId = `$_.ErrorId } } | Export-Clixml -LiteralPath '$out'
"@
            $process = Start-Process -FilePath (Get-TestPowerShell) -ArgumentList @('-NoProfile', '-NonInteractive', '-File', "`"$script`"") -PassThru `
                -RedirectStandardOutput "$out.stdout" -RedirectStandardError "$out.stderr"
            [pscustomobject]@{ Process = $process; Out = $out }
        }
        $deadline = (Get-Date).AddSeconds(120)
        while (@($children | Where-Object { -not (Test-Path -LiteralPath "$($_.Out).ready") }).Count -gt 0 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Set-Content -LiteralPath $go -Value go
        if ($While) { $null = & $While }
        foreach ($child in $children) {
            $child.Process.WaitForExit(180000) | Should -BeTrue -Because 'every child finishes'
            Test-Path -LiteralPath $child.Out | Should -BeTrue -Because "the child wrote its results ($(Get-Content -LiteralPath "$($child.Out).stderr" -Raw))"
            , @(Import-Clixml -LiteralPath $child.Out)
        }
    }

    function Assert-OnePagePerKey {
        param($Fake, [string] $Database, [string] $Property, [string[]] $Keys)
        $pages = @(Invoke-NotionFakeQuery -Fake $Fake -Database $Database | ForEach-Object { Get-NotionFakeText -Page $_ -Property $Property } | Where-Object { $_ -in $Keys })
        $pages.Count | Should -Be $Keys.Count -Because "each of the $($Keys.Count) keys has exactly one page in $Database (found: $($pages -join ', '))"
        @($pages | Sort-Object -Unique).Count | Should -Be $Keys.Count
    }

    function Assert-OneCreatedPerKey {
        param([object[]] $Runs, [string[]] $Keys)
        $all = @($Runs | ForEach-Object { $_ })
        @($all | Where-Object Status -eq 'Failed') | Should -BeNullOrEmpty -Because (($all | Where-Object Status -eq 'Failed' | ForEach-Object { "$($_.Key): $($_.ErrorId)" }) -join '; ')
        $created = @($all | Where-Object Status -eq 'Created' | ForEach-Object Key)
        @($created | Sort-Object) | Should -Be @($Keys | Sort-Object) -Because 'each key is reported Created by exactly one process'
    }

    function Invoke-Race {
        <#
            Writers of five keys of $Kind (DailyHealth, CustomerSites or ConfigChanges), one child per configuration, started
            together; asserts one page per key and one Created per key, and returns the keys and each child's results.
        #>
        param([string] $Kind, [string[]] $Configs, [string] $Tag)
        $date = @{ one = '2026-01-05'; two = '2026-01-06'; keysone = '2026-01-07'; keystwo = '2026-01-08' }[$Tag]
        switch ($Kind) {
            'DailyHealth' {
                $keys = $script:Sites | ForEach-Object { "$_|$date" }
                $property = 'Snapshot Key'
                $command = "'$($script:Sites -join "','")' | ForEach-Object { [pscustomobject]@{ SiteName = `$_; DevicesOnline = 9; DevicesTotal = 10 } } } | Add-DailyHealthSnapshot -ConfigPath `$Config -Date '$date'"
            }
            'CustomerSites' {
                $keys = 1..5 | ForEach-Object { "Race $Tag {0:D2}" -f $_ }
                $property = 'Site Name'
                $command = "'$($keys -join "','")' | ForEach-Object { [pscustomobject]@{ SiteName = `$_; DevicesOnline = 10; DevicesTotal = 10 } } } | Sync-CustomerStatus -ConfigPath `$Config"
            }
            'ConfigChanges' {
                $keys = 1..5 | ForEach-Object { "race-$Tag-$_" }
                $property = 'Change ID'
                $command = "'$($keys -join "','")' | ForEach-Object { [pscustomobject]@{ Site = 'Site 01'; Tool = 'unifi'; Action = 'Reboot'; Engineer = 'jdoe'; ChangeId = `$_; Timestamp = '2026-01-05T08:00:00Z' } } } | Write-ConfigChange -ConfigPath `$Config"
            }
        }
        # The records reach the cmdlet two seconds after it read its index: every run plans before any run created anything.
        $runs = Invoke-Together -Configs $Configs -Command ("& { Start-Sleep -Seconds 2; " + $command)
        Assert-OnePagePerKey -Fake $script:Fake -Database $Kind -Property $property -Keys $keys
        Assert-OneCreatedPerKey -Runs $runs -Keys $keys
        [pscustomobject]@{ Keys = $keys; Runs = $runs }
    }

    $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'workspace')
    $script:Config = $script:Fake.ConfigPath
    # The racing runs read every page at once and write each record as it arrives (see above).
    $script:Racing = Copy-Configuration -ConfigPath $script:Config -Name 'racing' -Notion @{ keyReadLimit = 0 }
    $script:OtherMachine = Copy-Configuration -ConfigPath $script:Config -Name 'machine-b' -Machine -Notion @{ keyReadLimit = 0 }
    # Runs as configured by default: five records read only their keys, at the end of their input.
    $script:OtherMachineByKeys = Copy-Configuration -ConfigPath $script:Config -Name 'machine-c' -Machine
    $script:Sites = 1..5 | ForEach-Object { 'Site {0:D2}' -f $_ }
    # Customer Sites the snapshots and config changes relate to.
    $null = $script:Sites | ForEach-Object { New-Site $_ } | Sync-CustomerStatus -ConfigPath $script:Config
}

AfterAll {
    Stop-OberaNotionFake $script:Fake
    Restore-EnvironmentVariable -Saved $script:SavedEnvironment
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'Writers started together on one machine (one state directory)' {
    It 'write one <Kind> page per key: one process creates it, the <Others> other(s) find it in the ledger' -ForEach @(
        @{ Kind = 'DailyHealth'; Others = 1 }
        @{ Kind = 'CustomerSites'; Others = 2 }
        @{ Kind = 'ConfigChanges'; Others = 1 }
    ) {
        $race = Invoke-Race -Kind $Kind -Configs (@($script:Racing) * ($Others + 1)) -Tag 'one'

        $learnt = @($race.Runs | ForEach-Object { $_ } | Where-Object Status -ne 'Created')
        $learnt.Count | Should -Be ($race.Keys.Count * $Others)
        @($learnt | Where-Object { $_.Reason -notlike 'Another run on this machine, * (process *' } | ForEach-Object { "$($_.Key): $($_.Reason)" }) | Should -BeNullOrEmpty -Because 'each learnt the page from the ledger, with no request'
    }
}

Describe 'Writers started together on two machines (separate state directories)' {
    It 'converge on one <Kind> page per key after confirming, and only the kept page''s writer reports Created' -ForEach @(
        @{ Kind = 'DailyHealth' }
        @{ Kind = 'CustomerSites' }
        @{ Kind = 'ConfigChanges' }
    ) {
        $race = Invoke-Race -Kind $Kind -Configs $script:Racing, $script:OtherMachine -Tag 'two'

        # Both created every key (neither saw the other's ledger); the other copy of each went to the trash.
        @($race.Runs | ForEach-Object { $_ } | Where-Object { $_.Reason -like "Another writer created * at the same time*" }).Count | Should -BeGreaterOrEqual $race.Keys.Count
    }
}

Describe 'Writers started together with the default settings (a small input reads only its keys)' {
    # Each run reads its keys when its input ends, so which run sees which page depends on timing: whatever it is, each key
    # ends with one page and one Created (Invoke-Race asserts both), on one machine and on two.
    It 'write one <Kind> page per key on one machine' -ForEach @(
        @{ Kind = 'DailyHealth' }
        @{ Kind = 'CustomerSites' }
        @{ Kind = 'ConfigChanges' }
    ) {
        $null = Invoke-Race -Kind $Kind -Configs $script:Config, $script:Config, $script:Config -Tag 'keysone'
    }

    It 'converge on one <Kind> page per key on two machines' -ForEach @(
        @{ Kind = 'DailyHealth' }
        @{ Kind = 'CustomerSites' }
        @{ Kind = 'ConfigChanges' }
    ) {
        $null = Invoke-Race -Kind $Kind -Configs $script:Config, $script:OtherMachineByKeys -Tag 'keystwo'
    }
}

Describe 'Records pointing at the page that goes, with writers on two machines' {
    It 'are moved to the page that stays before the other page goes to the trash' {
        $site = 'Relay Site'
        $databases = (Get-Content -LiteralPath $script:Config -Raw | ConvertFrom-Json).databases
        # Each run creates the site, then its input stays open for 12 s (a long pipeline): its key is confirmed at the end.
        $command = "& { Start-Sleep -Seconds 2; [pscustomobject]@{ SiteName = '$site'; DevicesOnline = 10; DevicesTotal = 10 }; Start-Sleep -Seconds 12 } | Sync-CustomerStatus -ConfigPath `$Config"
        $runs = Invoke-Together -Configs $script:Racing, $script:OtherMachine -Command $command -While {
            # Meanwhile a job on the machine of the later page writes history pointing at that page (the one that goes).
            $deadline = (Get-Date).AddSeconds(12)
            do {
                Start-Sleep -Milliseconds 200
                # The fake answers in creation order: the second page is the later one.
                $pages = @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites | Where-Object { (Get-NotionFakeText -Page $_ -Property 'Site Name') -eq $site })
            } until ($pages.Count -ge 2 -or (Get-Date) -gt $deadline)
            $pages.Count | Should -Be 2 -Because 'both machines created the site before either confirmed it'
            $script:Later = $pages[1].id
            $script:Earlier = $pages[0].id
            $script:History = foreach ($day in '2026-01-03', '2026-01-04') {
                (Invoke-NotionFake -Fake $script:Fake -Method Post -Path 'v1/pages' -Body @{
                    parent     = @{ type = 'data_source_id'; data_source_id = $databases.DailyHealth.dataSourceId }
                    properties = @{
                        'Snapshot'     = @{ title = (ConvertTo-NotionText "$site $([char]0x2014) $day") }
                        'Snapshot Key' = @{ rich_text = (ConvertTo-NotionText "$site|$day") }
                        'Date'         = @{ date = @{ start = $day } }
                        'Site'         = @{ relation = @(@{ id = $script:Later }) }
                    }
                }).id
            }
        }

        Assert-OnePagePerKey -Fake $script:Fake -Database CustomerSites -Property 'Site Name' -Keys $site
        Assert-OneCreatedPerKey -Runs $runs -Keys $site
        $kept = @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites | Where-Object { (Get-NotionFakeText -Page $_ -Property 'Site Name') -eq $site })[0].id
        $kept | Should -Be $script:Earlier -Because 'every writer keeps the earliest page'
        (Invoke-NotionFake -Fake $script:Fake -Path "v1/pages/$($script:Later)").in_trash | Should -BeTrue
        foreach ($id in $script:History) {
            $page = Invoke-NotionFake -Fake $script:Fake -Path "v1/pages/$id"
            (Get-NotionFakeText -Page $page -Property 'Site') | Should -Be $kept -Because 'the history of the page that went now points at the page that stays'
        }
        $all = @($runs | ForEach-Object { $_ })
        @($all | Where-Object { $_.Reason -like '*2 record(s) now point at the page that stays*' }) | Should -Not -BeNullOrEmpty -Because (($all | ForEach-Object Reason) -join ' | ')
        # The writer whose page went reports the page that stays, not a second Created.
        "$(@($all | Where-Object Status -ne 'Created')[0].Status)" | Should -BeIn 'Unchanged', 'Updated'
    }
}

Describe 'The write lock' {
    BeforeAll {
        $state = (Get-Content -LiteralPath $script:Config -Raw | ConvertFrom-Json).paths.stateDirectory
        # A first change gives Config Changes its ledger (Pester removes what a Describe created when it ends): that file is the lock.
        $null = Write-ConfigChange -Site 'Site 01' -Tool unifi -Action Reboot -Engineer jdoe -ChangeId 'lock-setup' -ConfigPath $script:Config
        $script:Ledger = @(Get-ChildItem -LiteralPath (Join-Path $state 'writers') -Filter 'creates-*.ledger' | Where-Object { (Get-Content -LiteralPath $_.FullName -Raw) -match 'lock-setup' })[0].FullName
        $script:Holder = [System.IO.Path]::ChangeExtension($script:Ledger, '.holder')

        function Test-LockFree {
            <# True when this process can take the lock (open the ledger with no sharing), as a run would. #>
            try { $stream = [System.IO.File]::Open($script:Ledger, 'Open', 'ReadWrite', 'None'); $stream.Dispose(); $true } catch [System.IO.IOException] { $false }
        }
    }

    It 'is waited for, said under -Verbose, and ends in WriteLockTimeout naming the run that holds it, for the creates only' {
        $config = Copy-Configuration -ConfigPath $script:Config -Name 'impatient' -Notion @{ writeLockTimeoutSeconds = 2 }
        # Another run holds the lock: the file is open with no sharing, and the holder file says who it is.
        Set-Content -LiteralPath $script:Holder -Value '{"process":4242,"host":"ops-01","operation":"Sync-CustomerStatus","since":"2026-01-05T08:00:00Z"}'
        $held = [System.IO.File]::Open($script:Ledger, 'Open', 'ReadWrite', 'None')
        try {
            $output = @(Write-ConfigChange -Site 'Site 03' -Tool unifi -Action Reboot -Engineer jdoe -ChangeId 'lock-wait-1' -ConfigPath $config -Verbose -ErrorVariable failed -ErrorAction SilentlyContinue 4>&1)
        }
        finally { $held.Dispose() }

        $result = $output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        "$($result.Status)" | Should -Be 'Failed'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'WriteLockTimeout*'
        $failed[0].Exception.Message | Should -BeLike '*waited 2 s for the write lock*process 4242 (Sync-CustomerStatus on ops-01, since 08:00:00 UTC) still holds it*notion.writeLockTimeoutSeconds*'
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        @($verbose | Where-Object { $_ -like 'Config Changes: waiting for the write lock*process 4242 (Sync-CustomerStatus*' }) | Should -Not -BeNullOrEmpty -Because ($verbose -join "`n")
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database ConfigChanges | Where-Object { (Get-NotionFakeText -Page $_ -Property 'Change ID') -eq 'lock-wait-1' }) | Should -BeNullOrEmpty
    }

    It 'is left free by a process killed with kill -9 while it holds it, and the next run creates at once' {
        # A child paced to one request per 10 s holds the lock while it waits for its create's turn.
        $slow = Copy-Configuration -ConfigPath $script:Config -Name 'slow' -Notion @{ requestsPerSecond = 0.1; burst = 1 }
        $log = Join-Path $TestDrive 'slow-child.txt'
        $command = "Import-Module '$script:ManifestPath'; Write-ConfigChange -Site 'Site 04' -Tool unifi -Action Reboot -Engineer jdoe -ChangeId 'killed-holder' -ConfigPath '$slow' | Out-Null"
        $child = Start-Process -FilePath (Get-TestPowerShell) -ArgumentList @('-NoProfile', '-NonInteractive', '-Command', "`"$($command -replace '"', '\"')`"") -PassThru -RedirectStandardOutput $log -RedirectStandardError "$log.err"
        $deadline = (Get-Date).AddSeconds(90)
        do { Start-Sleep -Milliseconds 100 } until (((Test-Path -LiteralPath $script:Holder) -and (Get-Content -LiteralPath $script:Holder -Raw) -match "`"process`":$($child.Id)\b") -or $child.HasExited -or (Get-Date) -gt $deadline)
        $child.HasExited | Should -BeFalse -Because "the child must hold the lock to be killed ($(Get-Content -LiteralPath "$log.err" -Raw))"
        Test-LockFree | Should -BeFalse -Because 'the child holds the lock'

        Stop-Process -Id $child.Id -Force   # SIGKILL on Linux and macOS, TerminateProcess on Windows: no cleanup runs
        $child.WaitForExit(10000) | Should -BeTrue
        Test-LockFree | Should -BeTrue -Because 'the OS released the lock of the killed process'

        $quick = Copy-Configuration -ConfigPath $script:Config -Name 'after-kill' -Notion @{ writeLockTimeoutSeconds = 5 }
        $result = Write-ConfigChange -Site 'Site 04' -Tool unifi -Action Reboot -Engineer jdoe -ChangeId 'after-kill' -ConfigPath $quick 3>$null
        "$($result.Status)" | Should -Be 'Created'
    }
}
