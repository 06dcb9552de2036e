<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="es_ES">
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="19" />
        <source>fieldtool — log in</source>
        <translation>fieldtool — iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="22" />
        <source>Create the first account (supervisor)</source>
        <translation>Crear la primera cuenta (supervisor)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="22" />
        <location filename="../../fieldtool/ui/login.py" line="40" />
        <source>Log in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="31" />
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="32" />
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="38" />
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="40" />
        <source>Create account</source>
        <translation>Crear cuenta</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="80" />
        <source>Jobs</source>
        <translation>Trabajos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="81" />
        <source>Exchange</source>
        <translation>Cambio de medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="82" />
        <source>Scan</source>
        <translation>Escanear</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="83" />
        <source>HAN</source>
        <translation>HAN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="84" />
        <source>Coverage</source>
        <translation>Cobertura</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="85" />
        <source>Custody</source>
        <translation>Custodia</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="86" />
        <source>Bench</source>
        <translation>Banco de pruebas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="87" />
        <source>Planning</source>
        <translation>Planificación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="88" />
        <source>Conflicts</source>
        <translation>Conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="89" />
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="90" />
        <source>sunlight</source>
        <translation>luz solar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="91" />
        <source>night</source>
        <translation>noche</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="186" />
        <source>Scanned: {text}</source>
        <translation>Escaneado: {text}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="199" />
        <source>Theme: {theme}</source>
        <translation>Tema: {theme}</translation>
    </message>
</context>
<context>
    <name>OpStrip</name>
    <message>
        <location filename="../../fieldtool/ui/widgets.py" line="64" />
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/widgets.py" line="89" />
        <source>{label}: cancelled.</source>
        <translation>{label}: cancelado.</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../fieldtool/ui/app.py" line="20" />
        <source>fieldtool — unlock</source>
        <translation>fieldtool — desbloquear</translation>
    </message>
</context>
</TS>