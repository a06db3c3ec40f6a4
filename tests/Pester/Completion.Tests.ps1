#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Tab completion as a user meets it (TabExpansion2, the function the console calls on Tab), against the Notion fake
    configured through OBERACONNECT_CONFIG, never with Connect-OberaConnect: site names in every -Site / -SiteName read
    from the configured workspace (cached in paths.stateDirectory, refreshed after a sync), the enumerated values
    (-Result, -Action, -BackupStatus...), the tools Config Changes knows, and the properties of the database given
    with -Database. A parameter with a known value set must never fall back to file names.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')
    $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'fake')
    $script:Config = $script:Fake.ConfigPath
    $script:Saved = Save-EnvironmentVariable -Name 'OBERACONNECT_CONFIG'
    $env:OBERACONNECT_CONFIG = $script:Config
    $script:Settings = Get-Content -Raw -LiteralPath $script:Config | ConvertFrom-Json
    $script:StateDirectory = $script:Settings.paths.stateDirectory
    $engine = (Get-Command Sync-CustomerStatus).OutputType[0].Type.Assembly
    $script:CompletionNames = $engine.GetType('OberaConnect.Engine.State.CompletionNames')

    function Get-Completion {
        <# What Tab offers at the end of the line: the completion texts. #>
        param([string] $Line)
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }

    function Reset-CompletionCache {
        <# A new session: nothing cached on disk, no read in flight, no failure remembered. #>
        if (Test-Path -LiteralPath $script:StateDirectory) { Get-ChildItem -LiteralPath $script:StateDirectory -Filter '*.txt' | Remove-Item -Force }
        $null = $script:CompletionNames.GetMethod('Reset').Invoke($null, @())
    }

    # Sites created in Notion directly (not by a sync): completion must read them from the workspace itself.
    $sitesDataSource = $script:Settings.databases.CustomerSites.dataSourceId
    foreach ($name in 'Bayou Electric', 'Bayou Storage', 'Globex') {
        $null = Invoke-NotionFake -Fake $script:Fake -Method Post -Path 'v1/pages' -Body @{
            parent = @{ type = 'data_source_id'; data_source_id = $sitesDataSource }
            properties = @{ 'Site Name' = @{ title = (ConvertTo-NotionText $name) } }
        }
    }
}

AfterAll {
    Restore-EnvironmentVariable -Saved $script:Saved
    Stop-OberaNotionFake $script:Fake
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'Site names' {
    BeforeEach { Reset-CompletionCache }

    It 'completes -Site of Write-ConfigChange from the configured workspace without Connect-OberaConnect' {
        Get-Completion 'Write-ConfigChange -Site Bay' | Should -Be @("'Bayou Electric'", "'Bayou Storage'")
        @(Get-ChildItem -LiteralPath $script:StateDirectory -Filter "site-names.$($sitesDataSource -replace '-', '').txt").Count | Should -Be 1
    }

    It 'completes every -Site and -SiteName of every cmdlet' {
        $parameters = foreach ($command in Get-Command -Module OberaConnect) {
            foreach ($name in 'Site', 'SiteName') { if ($command.Parameters.ContainsKey($name)) { "$($command.Name) -$name" } }
        }
        @($parameters).Count | Should -BeGreaterThan 10
        foreach ($parameter in $parameters) {
            Get-Completion "$parameter Glo" | Should -Be @('Globex') -Because "$parameter completes site names"
        }
    }

    It 'reads the workspace of -ConfigPath when it is typed on the line' {
        $other = New-FakeConfiguration -Fake $script:Fake -Path (Join-Path $TestDrive 'other/config.json') -Settings @{
            databases = $script:Settings.databases
            paths     = @{ stateDirectory = (Join-Path $TestDrive 'other/state') }
        }
        Get-Completion "Get-CustomerStatus -ConfigPath '$other' -Site Glo" | Should -Be @('Globex')
        Test-Path -LiteralPath (Join-Path $TestDrive 'other/state') | Should -BeTrue
    }

    It 'offers a site a sync just created, at once' {
        Get-Completion 'Get-DailyHealth -Site Ini' | Should -Not -Contain 'Initech'
        $null = Sync-CustomerStatus -SiteName 'Initech' -DevicesOnline 3 -DevicesTotal 3
        Get-Completion 'Get-DailyHealth -Site Ini' | Should -Be @('Initech')
    }

    It 'offers nothing, quietly, when the workspace cannot be reached' {
        $closed = New-FakeConfiguration -Fake ([pscustomobject]@{ BaseUrl = 'http://127.0.0.1:9/' }) -Path (Join-Path $TestDrive 'closed/config.json') -Settings @{
            databases = $script:Settings.databases
            paths     = @{ stateDirectory = (Join-Path $TestDrive 'closed/state') }
        }
        $completions = Get-Completion "Get-Alert -ConfigPath '$closed' -Site Glo" 3>&1 2>&1
        $completions | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -or $_ -is [System.Management.Automation.WarningRecord] } | Should -BeNullOrEmpty
        $completions | Should -Not -Contain 'Globex'
    }
}

Describe 'Known values' {
    It 'completes <Line> with <Expected>' -ForEach @(
        @{ Line = 'Write-ConfigChange -Result '; Expected = 'Success' }
        @{ Line = 'Write-ConfigChange -Action '; Expected = 'Update' }
        @{ Line = 'Write-ConfigChange -Tool '; Expected = 'unifi' }
        @{ Line = 'Sync-CustomerStatus -BackupStatus '; Expected = 'Partial' }
        @{ Line = 'Add-DailyHealthSnapshot -UniFiStatus '; Expected = 'Present' }
        @{ Line = 'Sync-NetworkDevice -Status '; Expected = 'Offline' }
        @{ Line = 'Sync-Alert -Severity '; Expected = 'CRITICAL' }
        @{ Line = 'Get-NotionDuplicate -Database CustomerSites -Property '; Expected = "'Site Name'" }
        @{ Line = 'Get-NotionPage -Database DailyHealth -Property '; Expected = "'Health Score'" }
        @{ Line = 'Get-NotionDuplicate -Database '; Expected = 'CustomerSites' }
        @{ Line = 'Test-OberaConnectHealth -Component '; Expected = 'Configuration' }
    ) {
        $completions = Get-Completion $Line
        $completions | Should -Contain $Expected
        $completions | Where-Object { $_ -match '^\.[\\/]|^\./' } | Should -BeNullOrEmpty -Because 'a known value set never falls back to file names'
    }

    It 'offers a tool once a change from it was written' {
        Reset-CompletionCache
        Get-Completion 'Write-ConfigChange -Tool fort' | Should -BeNullOrEmpty
        $null = Write-ConfigChange -Site Globex -Tool fortigate -Action Update -Engineer jdoe
        Get-Completion 'Write-ConfigChange -Tool fort' | Should -Be @('fortigate')
    }
}
