; fieldapp installer for Windows (NSIS 3, MUI2), one per city team.
; Built by packaging/windows_pkg.py, which passes the defines below:
;   makensis -V2 -WX -INPUTCHARSET UTF8 -DAPP_NAME=fieldapp-seoul "-DAPP_TITLE=fieldapp Seoul"
;            -DAPP_VERSION=0.1.0 -DPAYLOAD=<frozen bundle> -DOUTFILE=<setup.exe>
;            -DDEFAULT_LANG=1042 [-DICON=<fieldapp.ico>] fieldapp.nsi
; Per-user install (no administrator rights needed: enumerators install it themselves) into
; %LOCALAPPDATA%\Programs\<APP_NAME>. Interview data lives in %LOCALAPPDATA%\fieldapp and is
; never removed by the uninstaller.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"

!ifndef APP_NAME
  !error "define APP_NAME (e.g. -DAPP_NAME=fieldapp-seoul)"
!endif
!ifndef APP_TITLE
  !define APP_TITLE "${APP_NAME}"
!endif
!ifndef APP_VERSION
  !error "define APP_VERSION"
!endif
!ifndef PAYLOAD
  !error "define PAYLOAD (the frozen bundle folder)"
!endif
!ifndef OUTFILE
  !define OUTFILE "${APP_NAME}-${APP_VERSION}-setup.exe"
!endif
!ifndef DEFAULT_LANG
  !define DEFAULT_LANG 1033
!endif

!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_NAME}"
!define GUI_EXE "fieldapp-gui.exe"

Name "${APP_TITLE}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "Software\${APP_NAME}" "InstallDir"
BrandingText "${APP_TITLE} ${APP_VERSION}"

VIProductVersion "${APP_VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_TITLE}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_TITLE} installer"
VIAddVersionKey /LANG=1033 "FileVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "fieldapp"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "Software\${APP_NAME}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Languages first: a LangString declared before its MUI_LANGUAGE falls back to English.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Korean"
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString NeedsX64 ${LANG_ENGLISH} "${APP_TITLE} needs 64-bit Windows 10 or newer."
LangString NeedsX64 ${LANG_KOREAN} "${APP_TITLE}을(를) 실행하려면 64비트 Windows 10 이상이 필요합니다."
LangString NeedsX64 ${LANG_SIMPCHINESE} "${APP_TITLE} 需要 64 位 Windows 10 或更高版本。"
LangString NeedsX64 ${LANG_JAPANESE} "${APP_TITLE} には 64 ビット版 Windows 10 以降が必要です。"

LangString CommandLine ${LANG_ENGLISH} "${APP_TITLE} command line"
LangString CommandLine ${LANG_KOREAN} "${APP_TITLE} 명령줄"
LangString CommandLine ${LANG_SIMPCHINESE} "${APP_TITLE} 命令行"
LangString CommandLine ${LANG_JAPANESE} "${APP_TITLE} コマンドライン"

LangString DataKept ${LANG_ENGLISH} "Interviews and settings stay in $LOCALAPPDATA\fieldapp: uninstalling never deletes them. Sync your data with your supervisor before you give this laptop away."
LangString DataKept ${LANG_KOREAN} "면접 자료와 설정은 $LOCALAPPDATA\fieldapp에 남아 있으며, 프로그램을 제거해도 삭제되지 않습니다. 노트북을 반납하기 전에 자료를 감독자와 동기화하십시오."
LangString DataKept ${LANG_SIMPCHINESE} "访问数据和设置保存在 $LOCALAPPDATA\fieldapp，卸载程序不会删除它们。交还这台笔记本电脑之前，请先与督导同步数据。"
LangString DataKept ${LANG_JAPANESE} "面接データと設定は $LOCALAPPDATA\fieldapp に残り、アンインストールしても削除されません。このノートパソコンを返却する前に、データをスーパーバイザーと同期してください。"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(NeedsX64)"
    Abort
  ${EndIf}
  SetRegView 64
  StrCpy $LANGUAGE ${DEFAULT_LANG}
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "fieldapp" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; A previous version's files go first (a stale module could shadow a new one).
  RMDir /r "$INSTDIR\_internal"
  File /r "${PAYLOAD}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\${APP_NAME}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_TITLE}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${APP_VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "fieldapp"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  CreateDirectory "$SMPROGRAMS\${APP_TITLE}"
  CreateShortcut "$SMPROGRAMS\${APP_TITLE}\${APP_TITLE}.lnk" "$INSTDIR\${GUI_EXE}"
  CreateShortcut "$SMPROGRAMS\${APP_TITLE}\$(CommandLine).lnk" "$SYSDIR\cmd.exe" \
    '/k cd /d "$INSTDIR"' "$INSTDIR\${GUI_EXE}"
  CreateShortcut "$DESKTOP\${APP_TITLE}.lnk" "$INSTDIR\${GUI_EXE}"
SectionEnd

Function un.onInit
  SetRegView 64
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Uninstall"
  Delete "$DESKTOP\${APP_TITLE}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_TITLE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\fieldapp.exe"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\${APP_NAME}"
  IfSilent +2
    MessageBox MB_ICONINFORMATION "$(DataKept)"
SectionEnd
