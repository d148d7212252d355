<#
.SYNOPSIS
    Writes the module's cmdlet help (MAML) from the cmdlets' XML doc comments and parameter sets.
.DESCRIPTION
    The C# doc comments are the one source: a cmdlet class's <summary> becomes its synopsis and
    description, its <example>s (<code> and <para>) its examples, each parameter property's
    <summary> its parameter description; syntax,
    positions, pipeline input and types come from the loaded cmdlets themselves. Runs in a
    child process so the module is not loaded into the build's session.

    Every cmdlet has at least one example; tests/pester/Help.Tests.ps1 runs each against a copy of
    examples/flets-transix-hgw.yaml, except those whose first <para> starts with "Needs root" or
    "Needs a running agent": those are only parsed.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleDirectory
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$manifest = Join-Path $ModuleDirectory 'IpoeRouter.psd1'
$docFile = Join-Path $ModuleDirectory 'IpoeRouter.PowerShell.xml'
$target = Join-Path $ModuleDirectory 'en-US/IpoeRouter.PowerShell.dll-Help.xml'

Import-Module $manifest -Force
[xml] $docs = Get-Content -Raw -LiteralPath $docFile
$members = @{}
$examples = @{}
foreach ($m in $docs.doc.members.member) {
    $node = $m.SelectSingleNode('summary')
    $summary = if ($node) { ($node.InnerText -replace '\s+', ' ').Trim() } else { '' }
    $members[$m.name] = $summary
    # <example><code>Install-IpoeAgent -Start</code><para>What it does.</para></example>, one per example
    $examples[$m.name] = @($m.SelectNodes('example') | ForEach-Object {
            [pscustomobject]@{
                Code    = $_.SelectSingleNode('code').InnerText.Trim()
                Remarks = @($_.SelectNodes('para') | ForEach-Object { ($_.InnerText -replace '\s+', ' ').Trim() })
            }
        })
}

function Get-Summary([type] $Type, [string] $Property) {
    for ($t = $Type; $t; $t = $t.BaseType) {
        $name = ($t.FullName -replace '`\d+\[.*$', '') -replace '\+', '.'
        if ($t.IsGenericType) { $name = $t.GetGenericTypeDefinition().FullName }
        $key = if ($Property) { "P:$name.$Property" } else { "T:$name" }
        if ($members.ContainsKey($key) -and $members[$key]) { return $members[$key] }
    }
    ''
}

$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$null = New-Item -ItemType Directory -Force (Split-Path $target)
$w = [System.Xml.XmlWriter]::Create($target, $settings)
$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$w.WriteStartDocument()
$w.WriteStartElement('helpItems'); $w.WriteAttributeString('schema', 'maml')
foreach ($cmd in Get-Command -Module IpoeRouter | Sort-Object Name) {
    $type = $cmd.ImplementingType
    $description = Get-Summary $type $null
    $synopsis = if ($description -match '^(.+?\.)(\s|$)') { $Matches[1] } else { $description }
    $w.WriteStartElement('command', 'command', $command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $w.WriteStartElement('details', $command)
    $w.WriteElementString('name', $command, $cmd.Name)
    $w.WriteStartElement('description', $maml); $w.WriteElementString('para', $maml, $synopsis); $w.WriteEndElement()
    $w.WriteElementString('verb', $command, $cmd.Verb)
    $w.WriteElementString('noun', $command, $cmd.Noun)
    $w.WriteEndElement()
    $w.WriteStartElement('description', $maml)
    $w.WriteElementString('para', $maml, $description)
    $w.WriteElementString('para', $maml, "The document is `$env:IPOE_DOCUMENT, else /etc/ipoe/router.yaml, unless a path parameter names another. See about_IpoeRouter.")
    $w.WriteEndElement()

    $w.WriteStartElement('syntax', $command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('syntaxItem', $command)
        $w.WriteElementString('name', $maml, $cmd.Name)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $common }) {
            $w.WriteStartElement('parameter', $command)
            $w.WriteAttributeString('required', $p.IsMandatory.ToString().ToLowerInvariant())
            $w.WriteAttributeString('position', $(if ($p.Position -ge 0) { [string] $p.Position } else { 'named' }))
            $w.WriteElementString('name', $maml, $p.Name)
            if ($p.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                $w.WriteStartElement('parameterValue', $command); $w.WriteAttributeString('required', 'true'); $w.WriteString($p.ParameterType.Name); $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('parameters', $command)
    foreach ($p in $cmd.Parameters.Values | Where-Object { $_.Name -notin $common } | Sort-Object Name) {
        $attr = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
        $pipeline = @(if ($attr.ValueFromPipeline) { 'ByValue' }; if ($attr.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
        $w.WriteStartElement('parameter', $command)
        $w.WriteAttributeString('required', $attr.Mandatory.ToString().ToLowerInvariant())
        $w.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
        $w.WriteAttributeString('position', $(if ($attr.Position -ge 0) { [string] $attr.Position } else { 'named' }))
        $w.WriteAttributeString('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
        $w.WriteElementString('name', $maml, $p.Name)
        $w.WriteStartElement('description', $maml); $w.WriteElementString('para', $maml, (Get-Summary $type $p.Name)); $w.WriteEndElement()
        $w.WriteStartElement('parameterValue', $command); $w.WriteAttributeString('required', 'true'); $w.WriteString($p.ParameterType.Name); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('returnValues', $command)
    foreach ($o in $cmd.OutputType) {
        $w.WriteStartElement('returnValue', $command); $w.WriteStartElement('type', $dev); $w.WriteElementString('name', $maml, $o.Name); $w.WriteEndElement(); $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $typeExamples = $examples["T:$($type.FullName)"]
    if ($typeExamples) {
        $w.WriteStartElement('examples', $command)
        $n = 0
        foreach ($e in $typeExamples) {
            $n++
            $w.WriteStartElement('example', $command)
            $w.WriteElementString('title', $maml, "-------------------------- Example $n --------------------------")
            $w.WriteElementString('code', $dev, $e.Code)
            $w.WriteStartElement('remarks', $dev)
            foreach ($para in $e.Remarks) { $w.WriteElementString('para', $maml, $para) }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()
Write-Host "Help written: $target"
