# Windows build of 专利转化申报助手: the PyInstaller one-folder program, its self-test,
# then the Inno Setup installer. Run in PowerShell from any folder (see README › 打包):
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Needs: Python 3.11 (python.org, "py" launcher), Inno Setup 6 (ISCC.exe), the network once
# for pip. Output: dist\patent-conversion-assistant-<版本>\ and
#                  dist\patent-conversion-assistant-<版本>-setup.exe
$ErrorActionPreference = "Stop"
Set-Location (Resolve-Path (Join-Path $PSScriptRoot "..\.."))

if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3.11 -m venv .venv }
.venv\Scripts\python -m pip install --disable-pip-version-check -e ".[build]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
$name = .venv\Scripts\python -c "import desktop_app as d; print(d.APP_ID)"
$version = .venv\Scripts\python -c "import desktop_app as d; print(d.__version__)"

Write-Host "== PyInstaller: $name $version =="
.venv\Scripts\pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build build_installer.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$exe = "dist\$name-$version\$name.exe"

# The exe is windowed (no console): its verdict is the exit code and self-test.log.
Write-Host "== $exe --self-test =="
$env:PATENT_APP_DATA = Join-Path ([IO.Path]::GetTempPath()) "pca-selftest-$PID"
$run = Start-Process -FilePath $exe -ArgumentList "--self-test" -Wait -PassThru
Get-Content (Join-Path $env:PATENT_APP_DATA "logs\self-test.log") -Encoding UTF8
Remove-Item Env:PATENT_APP_DATA
if ($run.ExitCode -ne 0) { throw "self-test failed ($($run.ExitCode))" }

Write-Host "== Inno Setup =="
$iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
          "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) { throw "ISCC.exe not found: install Inno Setup 6 (https://jrsoftware.org/isdl.php)" }
& $iscc "/DAppVersion=$version" "packaging\windows\installer.iss"
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Get-Item "dist\$name-$version-setup.exe" | Format-Table Name, Length
