#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Main paths of the connection, configuration and workspace cmdlets against the Notion fake, run as a process
    (see Fakes.ps1): New-OberaConnectConfiguration, Connect-/Disconnect-OberaConnect,
    Get-OberaConnectConfiguration, Initialize-OberaNotionWorkspace and Test-NotionSchema, their -WhatIf (nothing
    written: the configuration file is compared and the workspace listed through the fake's API), and pipelines
    between them. The module is imported by path, as in Module.Tests.ps1.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')

    $script:SavedEnvironment = Save-EnvironmentVariable 'NOTION_TOKEN', 'OBERACONNECT_CONFIG', 'UNIFI_API_KEY', 'NINJAONE_CLIENT_ID', 'NINJAONE_CLIENT_SECRET', 'OBERACONNECT_UNATTENDED'
    foreach ($name in $script:SavedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:Fake = Start-NotionFake
    # Cmdlets given -ConfigPath resolve the token themselves: from here, the environment has it.
    $env:NOTION_TOKEN = $script:Fake.Token

    $script:Titles = @('Customer Sites', 'Daily Health', 'Config Changes', 'Network Devices', 'Alerts', 'Azure Pipeline', 'Runbook Library')

    function New-TestConfiguration {
        param([string] $Name = ('config-' + [guid]::NewGuid().ToString('N') + '.json'))
        New-FakeConfiguration -Fake $script:Fake -Path (Join-Path $TestDrive $Name)
    }

    function New-TestParentPage {
        New-FakePage -Fake $script:Fake -ParentPageId $script:Fake.RootPageId -Title ('Operations ' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    }

    function Get-DataSourceId {
        param([string] $ConfigPath, [string] $Database)
        (Get-OberaConnectConfiguration -ConfigPath $ConfigPath).Databases | Where-Object Database -eq $Database | Select-Object -ExpandProperty DataSourceId
    }
}

AfterAll {
    Disconnect-OberaConnect
    Stop-NotionFake -Fake $script:Fake
    Restore-EnvironmentVariable -Saved $script:SavedEnvironment
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'New-OberaConnectConfiguration' {
    It 'writes the starter file at -Path, and it loads with nothing configured' {
        $path = Join-Path $TestDrive 'new/config.json'
        $written = New-OberaConnectConfiguration -Path $path
        $written.Path | Should -Be $path
        $written.Location | Should -Be '-Path'
        $written.Replaced | Should -BeFalse
        Test-Path -LiteralPath $path | Should -BeTrue
        $summary = Get-OberaConnectConfiguration -ConfigPath $path
        $summary.DatabasesConfigured | Should -Be 0
        $summary.NotionBaseUrl | Should -Be 'https://api.notion.com/'
    }

    It 'refuses to replace an existing file without -Force, and replaces it with -Force' {
        $path = Join-Path $TestDrive 'existing.json'
        Set-Content -LiteralPath $path -Value '{ "notion": { "requestsPerSecond": 2 } }'
        $before = (Get-FileHash -LiteralPath $path).Hash

        $output = New-OberaConnectConfiguration -Path $path -ErrorAction SilentlyContinue -ErrorVariable failures
        $output | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ConfigFileExists,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-FileHash -LiteralPath $path).Hash | Should -Be $before

        $replaced = New-OberaConnectConfiguration -Path $path -Force -Confirm:$false
        $replaced.Replaced | Should -BeTrue
        (Get-OberaConnectConfiguration -ConfigPath $path).NotionRequestsPerSecond | Should -Be 3
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif/config.json'
        New-OberaConnectConfiguration -Path $path -WhatIf | Should -BeNullOrEmpty
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'without -Path writes where OBERACONNECT_CONFIG points, the file the module then reads' {
        $path = Join-Path $TestDrive 'from-variable.json'
        $env:OBERACONNECT_CONFIG = $path
        try {
            $written = New-OberaConnectConfiguration
            $written.Path | Should -Be $path
            $written.Location | Should -Be 'OBERACONNECT_CONFIG'
            (Get-OberaConnectConfiguration).FilePath | Should -Be $path
        }
        finally {
            $env:OBERACONNECT_CONFIG = $null
        }
    }

    It 'writes one file per path piped in' {
        $paths = 'a', 'b' | ForEach-Object { Join-Path $TestDrive "piped-$_.json" }
        $written = $paths | New-OberaConnectConfiguration
        @($written).Count | Should -Be 2
        $written.Path | Should -Be $paths
    }
}

Describe 'Connect-OberaConnect and Disconnect-OberaConnect' {
    BeforeAll {
        $script:ConnectConfig = New-TestConfiguration -Name 'connect.json'
    }

    AfterEach {
        Disconnect-OberaConnect
        $env:NOTION_TOKEN = $script:Fake.Token
    }

    It 'connects with a -NotionToken SecureString, says where each credential came from and never shows one' {
        $env:NOTION_TOKEN = $null
        $token = ConvertTo-SecureString -String $script:Fake.Token -AsPlainText -Force
        $info = Connect-OberaConnect -ConfigPath $script:ConnectConfig -NotionToken $token
        $info.ConfigPath | Should -Be $script:ConnectConfig
        $info.NotionBotId | Should -Not -BeNullOrEmpty
        $info.NotionTokenSource | Should -Be 'parameter -NotionToken'
        $info.UniFiApiKeySource | Should -BeLike 'not found*'
        $info.DatabasesConfigured | Should -Be 0
        ($info | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($script:Fake.Token))
        ($info | ConvertTo-Json -Depth 5) | Should -Not -Match ([regex]::Escape($script:Fake.Token))
    }

    It 'becomes the session default until Disconnect-OberaConnect' {
        $env:OBERACONNECT_CONFIG = $script:ConnectConfig
        try {
            $null = Connect-OberaConnect -ConfigPath $script:ConnectConfig
            $connected = Get-OberaConnectConfiguration
            $connected.Source | Should -Be 'session (Connect-OberaConnect)'
            ($connected.Credentials | Where-Object Credential -eq 'NotionToken').Source | Should -Be 'environment variable NOTION_TOKEN'

            Disconnect-OberaConnect
            $disconnected = Get-OberaConnectConfiguration
            $disconnected.Source | Should -Be 'OBERACONNECT_CONFIG'
            ($disconnected.Credentials | Where-Object Credential -eq 'NotionToken').Source | Should -BeLike 'looked for in:*'
            { Disconnect-OberaConnect } | Should -Not -Throw
        }
        finally {
            $env:OBERACONNECT_CONFIG = $null
        }
    }

    It 'takes the NinjaOne client id and secret from a PSCredential' {
        $secret = ConvertTo-SecureString -String 'ninja-secret-for-pester' -AsPlainText -Force
        $credential = New-Object System.Management.Automation.PSCredential ('1234', $secret)
        $info = Connect-OberaConnect -ConfigPath $script:ConnectConfig -NinjaOneCredential $credential
        $info.NinjaOneCredentialSource | Should -Be 'parameter -NinjaOneCredential'
        ($info.Credentials | Where-Object Credential -eq 'NinjaOneClientSecret').Found | Should -BeTrue
        ($info | ConvertTo-Json -Depth 5) | Should -Not -Match 'ninja-secret-for-pester'
    }

    It 'stops with an authentication error for a refused token and leaves the session unset' {
        $wrong = ConvertTo-SecureString -String ('ntn_' + [guid]::NewGuid().ToString('N') + 'refused') -AsPlainText -Force
        $failure = { Connect-OberaConnect -ConfigPath $script:ConnectConfig -NotionToken $wrong } | Should -Throw -ErrorId 'NotionUnauthorized*' -PassThru
        $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failure.Exception.Message | Should -Match 'Internal Integration Secret'
        $env:OBERACONNECT_CONFIG = $script:ConnectConfig
        try { (Get-OberaConnectConfiguration).Source | Should -Be 'OBERACONNECT_CONFIG' } finally { $env:OBERACONNECT_CONFIG = $null }
    }

    It 'stops with a configuration error for a file that does not exist' {
        { Connect-OberaConnect -ConfigPath (Join-Path $TestDrive 'missing.json') } | Should -Throw -ErrorId 'ConfigFileNotFound*'
    }
}

Describe 'Get-OberaConnectConfiguration' {
    It 'shows the effective settings, the seven databases and the secret names, never a secret value' {
        $path = New-FakeConfiguration -Fake $script:Fake -Path (Join-Path $TestDrive 'get.json') -Settings @{ secrets = @{ notionTokenSecretName = 'notion-pester' } }
        $summary = Get-OberaConnectConfiguration -ConfigPath $path
        $summary.FilePath | Should -Be $path
        $summary.Source | Should -Be '-ConfigPath'
        $summary.NotionBaseUrl | Should -Be $script:Fake.BaseUrl
        $summary.NotionTokenSecretName | Should -Be 'notion-pester'
        @($summary.Databases).Count | Should -Be 7
        $summary.Databases.Title | Should -Be $script:Titles
        $notion = $summary.Credentials | Where-Object Credential -eq 'NotionToken'
        $notion.EnvironmentVariable | Should -Be 'NOTION_TOKEN'
        $notion.EnvironmentVariableSet | Should -BeTrue
        ($summary | ConvertTo-Json -Depth 5) | Should -Not -Match ([regex]::Escape($script:Fake.Token))
    }

    It 'lists the databases through the pipeline' {
        $path = New-TestConfiguration
        $unconfigured = Get-OberaConnectConfiguration -ConfigPath $path | Select-Object -ExpandProperty Databases | Where-Object { -not $_.Configured }
        @($unconfigured).Count | Should -Be 7
    }
}

Describe 'Initialize-OberaNotionWorkspace' {
    BeforeAll {
        $script:Parent = New-TestParentPage
        $script:InitConfig = New-TestConfiguration -Name 'init.json'
    }

    It 'creates nothing and writes nothing with -WhatIf' {
        $before = (Get-FileHash -LiteralPath $script:InitConfig).Hash
        Initialize-OberaNotionWorkspace -ParentPageId $script:Parent -ConfigPath $script:InitConfig -WhatIf | Should -BeNullOrEmpty
        Get-FakeChildDatabase -Fake $script:Fake -PageId $script:Parent | Should -BeNullOrEmpty
        (Get-FileHash -LiteralPath $script:InitConfig).Hash | Should -Be $before
        (Get-OberaConnectConfiguration -ConfigPath $script:InitConfig).DatabasesConfigured | Should -Be 0
    }

    It 'creates the seven databases in creation order and saves their ids' {
        $created = Initialize-OberaNotionWorkspace -ParentPageId $script:Parent -ConfigPath $script:InitConfig -Confirm:$false
        @($created).Count | Should -Be 7
        $created.Title | Should -Be $script:Titles
        @($created | Where-Object State -ne 'Created').Count | Should -Be 0
        $created | ForEach-Object { $_.DatabaseId | Should -Not -BeNullOrEmpty; $_.DataSourceId | Should -Not -BeNullOrEmpty }
        @(Get-FakeChildDatabase -Fake $script:Fake -PageId $script:Parent | Sort-Object) | Should -Be @($script:Titles | Sort-Object)

        $saved = (Get-OberaConnectConfiguration -ConfigPath $script:InitConfig).Databases
        $saved.DatabaseId | Should -Be $created.DatabaseId
        $saved.DataSourceId | Should -Be $created.DataSourceId

        # Relations point at the Customer Sites data source.
        $sites = ($created | Where-Object Database -eq 'CustomerSites').DataSourceId
        $health = ($created | Where-Object Database -eq 'DailyHealth').DataSourceId
        (Get-FakeSchema -Fake $script:Fake -DataSourceId $health).Site.relation.data_source_id | Should -Be $sites
    }

    It 'creates nothing on a second run and reports the databases as configured' {
        $before = (Get-FileHash -LiteralPath $script:InitConfig).Hash
        $again = Initialize-OberaNotionWorkspace -ParentPageId $script:Parent -ConfigPath $script:InitConfig
        @($again).Count | Should -Be 7
        @($again | Where-Object State -ne 'Configured').Count | Should -Be 0
        @(Get-FakeChildDatabase -Fake $script:Fake -PageId $script:Parent).Count | Should -Be 7
        (Get-FileHash -LiteralPath $script:InitConfig).Hash | Should -Be $before
    }

    It 'finds the databases under the page for a configuration without ids, and saves them' {
        $fresh = New-TestConfiguration
        $found = Initialize-OberaNotionWorkspace -ParentPageId $script:Parent -ConfigPath $fresh
        @($found | Where-Object State -ne 'FoundUnderParent').Count | Should -Be 0
        @(Get-FakeChildDatabase -Fake $script:Fake -PageId $script:Parent).Count | Should -Be 7
        (Get-OberaConnectConfiguration -ConfigPath $fresh).DatabasesConfigured | Should -Be 7
    }

    It 'accepts the page link as copied from Notion' {
        $parent = New-TestParentPage
        $link = 'https://www.notion.so/acme/Operations-' + $parent.Replace('-', '')
        $created = Initialize-OberaNotionWorkspace -ParentPageId $link -ConfigPath (New-TestConfiguration)
        @($created | Where-Object State -eq 'Created').Count | Should -Be 7
        @(Get-FakeChildDatabase -Fake $script:Fake -PageId $parent).Count | Should -Be 7
    }

    It 'stops before creating anything when the page is not shared with the integration' {
        $path = New-TestConfiguration
        $before = (Get-FileHash -LiteralPath $path).Hash
        $failure = { Initialize-OberaNotionWorkspace -ParentPageId $script:Fake.UnsharedPageId -ConfigPath $path } | Should -Throw -ErrorId 'WorkspaceParentNotShared*' -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.Exception.Message | Should -Match 'Connections'
        $failure.Exception.Message | Should -Match 'Connect to'
        (Get-FileHash -LiteralPath $path).Hash | Should -Be $before
    }

    It 'uses the session connection when connected' {
        $path = New-TestConfiguration
        $parent = New-TestParentPage
        try {
            $null = Connect-OberaConnect -ConfigPath $path
            $created = Initialize-OberaNotionWorkspace -ParentPageId $parent
            @($created | Where-Object State -eq 'Created').Count | Should -Be 7
            (Get-OberaConnectConfiguration).DatabasesConfigured | Should -Be 7
            (Get-OberaConnectConfiguration -ConfigPath $path).DatabasesConfigured | Should -Be 7
        }
        finally {
            Disconnect-OberaConnect
        }
    }
}

Describe 'Test-NotionSchema' {
    BeforeAll {
        $script:SchemaConfig = New-TestConfiguration -Name 'schema.json'
        $null = Initialize-OberaNotionWorkspace -ParentPageId (New-TestParentPage) -ConfigPath $script:SchemaConfig
    }

    It 'outputs nothing for a workspace that matches the definition' {
        Test-NotionSchema -ConfigPath $script:SchemaConfig | Should -BeNullOrEmpty
    }

    It 'reports drift; -Repair -WhatIf changes nothing; -Repair adds what is missing and never retypes' {
        $sites = Get-DataSourceId -ConfigPath $script:SchemaConfig -Database 'CustomerSites'
        Set-FakeSchema -Fake $script:Fake -DataSourceId $sites -Properties @{ 'Devices Offline' = $null; 'Devices Total' = @{ rich_text = @{} } }

        $found = Test-NotionSchema -ConfigPath $script:SchemaConfig -Database CustomerSites
        @($found).Count | Should -Be 2
        $missing = $found | Where-Object Property -eq 'Devices Offline'
        "$($missing.Kind)" | Should -Be 'Missing'
        $missing.Repairable | Should -BeTrue
        $retyped = $found | Where-Object Property -eq 'Devices Total'
        "$($retyped.Kind)" | Should -Be 'WrongType'
        $retyped.Repairable | Should -BeFalse

        $preview = Test-NotionSchema -ConfigPath $script:SchemaConfig -Database CustomerSites -Repair -WhatIf
        @($preview).Count | Should -Be 2
        (Get-FakeSchema -Fake $script:Fake -DataSourceId $sites).PSObject.Properties.Name | Should -Not -Contain 'Devices Offline'

        $left = Test-NotionSchema -ConfigPath $script:SchemaConfig -Database CustomerSites -Repair -Confirm:$false
        @($left).Count | Should -Be 1
        $left.Property | Should -Be 'Devices Total'
        $schema = Get-FakeSchema -Fake $script:Fake -DataSourceId $sites
        $schema.'Devices Offline'.type | Should -Be 'number'
        $schema.'Devices Total'.type | Should -Be 'rich_text'
    }

    It 'shows properties people added only with -IncludeExtra, and to Verbose otherwise' {
        $alerts = Get-DataSourceId -ConfigPath $script:SchemaConfig -Database 'Alerts'
        Set-FakeSchema -Fake $script:Fake -DataSourceId $alerts -Properties @{ 'Escalation' = @{ people = @{} } }

        $verbose = Test-NotionSchema -ConfigPath $script:SchemaConfig -Database Alerts -Verbose 4>&1
        @($verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Escalation'

        $extra = Test-NotionSchema -ConfigPath $script:SchemaConfig -Database Alerts -IncludeExtra
        @($extra).Count | Should -Be 1
        "$($extra.Kind)" | Should -Be 'Extra'
        $extra.Property | Should -Be 'Escalation'
    }

    It 'names the databases by key or title and refuses an unknown name with the valid ones' {
        Test-NotionSchema -ConfigPath $script:SchemaConfig -Database 'Runbook Library', 'azurepipeline' | Should -BeNullOrEmpty
        $failure = { Test-NotionSchema -ConfigPath $script:SchemaConfig -Database 'customer_status' } | Should -Throw -ErrorId 'UnknownDatabase*' -PassThru
        $failure.Exception.Message | Should -Match 'CustomerSites'
    }

    It 'reports every database as missing for a configuration without ids' {
        $missing = Test-NotionSchema -ConfigPath (New-TestConfiguration)
        @($missing).Count | Should -Be 7
        @($missing | Where-Object { "$($_.Kind)" -ne 'MissingDatabase' }).Count | Should -Be 0
        @($missing | Where-Object Repairable).Count | Should -Be 0
    }

    It 'completes database names' {
        $line = 'Test-NotionSchema -Database Cust'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'CustomerSites'
    }
}

Describe 'Pipelines from initialization to repair' {
    It 'initializes, checks what was initialized, repairs what drifted, and ends clean' {
        $path = New-TestConfiguration
        $parent = New-TestParentPage

        # Initialize's objects carry their Database name to Test-NotionSchema; the file is saved before the check reads it.
        Initialize-OberaNotionWorkspace -ParentPageId $parent -ConfigPath $path | Test-NotionSchema -ConfigPath $path | Should -BeNullOrEmpty

        $health = Get-DataSourceId -ConfigPath $path -Database 'DailyHealth'
        $sites = Get-DataSourceId -ConfigPath $path -Database 'CustomerSites'
        Set-FakeSchema -Fake $script:Fake -DataSourceId $health -Properties @{ 'Site' = $null }
        Set-FakeSchema -Fake $script:Fake -DataSourceId $sites -Properties @{ 'Site Name' = @{ name = 'Customer' } }

        $drift = Test-NotionSchema -ConfigPath $path
        @($drift).Count | Should -Be 2
        @($drift | Where-Object Repairable).Count | Should -Be 2

        Test-NotionSchema -ConfigPath $path | Where-Object Repairable | Test-NotionSchema -Repair -ConfigPath $path -Confirm:$false | Should -BeNullOrEmpty

        (Get-FakeSchema -Fake $script:Fake -DataSourceId $health).Site.relation.data_source_id | Should -Be $sites
        (Get-FakeSchema -Fake $script:Fake -DataSourceId $sites).'Site Name'.type | Should -Be 'title'
        Test-NotionSchema -ConfigPath $path | Should -BeNullOrEmpty
    }

    It 'shows the configured databases of a new configuration after initialization' {
        $path = New-OberaConnectConfiguration -Path (Join-Path $TestDrive 'pipeline/config.json') | Select-Object -ExpandProperty Path
        # The starter file points at api.notion.com; aim it at the fake like an administrator would edit it.
        $text = (Get-Content -LiteralPath $path -Raw) -replace [regex]::Escape('"https://api.notion.com/"'), ('"' + $script:Fake.BaseUrl + '"')
        [System.IO.File]::WriteAllText($path, $text, [System.Text.UTF8Encoding]::new($false))
        (Get-OberaConnectConfiguration -ConfigPath $path).NotionBaseUrl | Should -Be $script:Fake.BaseUrl

        $null = Initialize-OberaNotionWorkspace -ParentPageId (New-TestParentPage) -ConfigPath $path
        $configured = Get-OberaConnectConfiguration -ConfigPath $path | Select-Object -ExpandProperty Databases | Where-Object Configured
        @($configured).Count | Should -Be 7
        $configured.Database | Should -Be @('CustomerSites', 'DailyHealth', 'ConfigChanges', 'NetworkDevices', 'Alerts', 'AzurePipeline', 'RunbookLibrary')
    }
}
