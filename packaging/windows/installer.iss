; Inno Setup 6 script: the Windows installer of 专利转化申报助手.
; Built by packaging\windows\build.ps1 after PyInstaller (see README › 打包):
;   ISCC.exe /DAppVersion=<版本> packaging\windows\installer.iss
;   → dist\patent-conversion-assistant-<版本>-setup.exe
; Installs for the current user only (no administrator needed) into
; %LOCALAPPDATA%\Programs\patent-conversion-assistant, or for all users into Program Files
; when the user chooses so; a Start-menu entry (and optionally a desktop shortcut).
; The officer's drafts are NOT in the program folder: the program keeps them per user in
; %LOCALAPPDATA%\patent-conversion-assistant (logs in …\Logs), which uninstalling leaves alone.

#define AppId "patent-conversion-assistant"
#define AppName "专利转化申报助手"
#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=<版本> installer.iss
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\" + AppId + "-" + AppVersion
#endif

[Setup]
AppId={{5E0B7C3A-2F4D-4B8E-9C61-7A2D0E9F4B13}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\{#AppId}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#AppId}-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppId}.exe
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
; Inno Setup 6.5+ ships the Chinese messages; older ones: put ChineseSimplified.isl
; (the Inno Setup translations page) into its Languages folder first.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #pragma warning "ChineseSimplified.isl not found: the installer's own pages will be in English"
Name: "chs"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "快捷方式："; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppId}.exe"; Comment: "编写专利转化专项计划申报书"
Name: "{group}\卸载{#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppId}.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppId}.exe"; Description: "立即运行{#AppName}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only what the program may have left inside its own folder; never the drafts folder
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
