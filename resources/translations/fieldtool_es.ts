<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>App</name>
    <message>
        <location filename="../../fieldtool/ui/app.py" line="20"/>
        <source>fieldtool — unlock</source>
        <translation>fieldtool — desbloquear</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/app.py" line="23"/>
        <source>The vault was not unlocked.</source>
        <translation>La caja fuerte no se desbloqueó.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/app.py" line="24"/>
        <source>Start the tool again and type the passphrase.</source>
        <translation>Vuelva a iniciar la herramienta y escriba la frase de contraseña.</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../fieldtool/ui/widgets.py" line="36"/>
        <source>alert</source>
        <translation>alerta</translation>
    </message>
</context>
<context>
    <name>BenchPage</name>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="30"/>
        <source>Sample</source>
        <translation>Muestra</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="30"/>
        <location filename="../../fieldtool/ui/bench_page.py" line="106"/>
        <source>Meter</source>
        <translation>Medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="31"/>
        <source>Custody</source>
        <translation>Custodia</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="31"/>
        <source>Comms</source>
        <translation>Comunicaciones</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="32"/>
        <source>Disconnect</source>
        <translation>Desconexión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="32"/>
        <source>Accuracy</source>
        <translation>Exactitud</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="33"/>
        <source>Verdict</source>
        <translation>Veredicto</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="47"/>
        <source>Bench</source>
        <translation>Banco</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="57"/>
        <source>Bench mode: lot acceptance</source>
        <translation>Modo banco: aceptación de lotes</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="61"/>
        <source>lot</source>
        <translation>lote</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="64"/>
        <source>lot document</source>
        <translation>documento del lote</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="65"/>
        <source>ship notice or PO (to open a lot); RMA number (to return to the vendor)</source>
        <translation>aviso de envío o pedido (para abrir un lote); número RMA (para devolver al proveedor)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="66"/>
        <source>Lot</source>
        <translation>Lote</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="67"/>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="70"/>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="70"/>
        <source>Open lot</source>
        <translation>Abrir lote</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="71"/>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="71"/>
        <source>Decide</source>
        <translation>Decidir</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="72"/>
        <source>Samples back</source>
        <translation>Devolver muestras</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="73"/>
        <source>Return to vendor</source>
        <translation>Devolver al proveedor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="74"/>
        <source>lot {step}</source>
        <translation>lote: {step}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="79"/>
        <source>lot summary</source>
        <translation>resumen del lote</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="83"/>
        <source>sample scans</source>
        <translation>escaneos de muestras</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="84"/>
        <source>scan sampled units (separated by spaces)</source>
        <translation>escanee las unidades muestreadas (separadas por espacios)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="86"/>
        <source>Send to shop</source>
        <translation>Enviar al taller</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="86"/>
        <source>pick to meter shop</source>
        <translation>enviar al taller de medidores</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="87"/>
        <source>Check in</source>
        <translation>Registrar entrada</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="87"/>
        <source>check in at meter shop</source>
        <translation>registrar la entrada en el taller de medidores</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="91"/>
        <source>sampled units</source>
        <translation>unidades muestreadas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="98"/>
        <source>meter under test</source>
        <translation>medidor en prueba</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="100"/>
        <source>optical probe</source>
        <translation>sonda óptica</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="101"/>
        <source>COM3, /dev/ttyUSB0 or socket://127.0.0.1:PORT</source>
        <translation>COM3, /dev/ttyUSB0 o socket://127.0.0.1:PUERTO</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="104"/>
        <source>test-board file</source>
        <translation>archivo del banco de pruebas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="105"/>
        <source>test-board CSV: meter_number,full_load_pct,light_load_pct,power_factor_pct</source>
        <translation>CSV del banco de pruebas: meter_number,full_load_pct,light_load_pct,power_factor_pct</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="108"/>
        <source>Probe</source>
        <translation>Sonda</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="110"/>
        <source>Optical tests</source>
        <translation>Pruebas ópticas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="110"/>
        <source>run comms and switch tests</source>
        <translation>ejecutar pruebas de comunicación y de interruptor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="111"/>
        <source>FL / LL / PF</source>
        <translation>CP / CL / FP</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="116"/>
        <source>Record accuracy</source>
        <translation>Registrar exactitud</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="117"/>
        <source>Test board</source>
        <translation>Banco de pruebas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="119"/>
        <source>Import CSV</source>
        <translation>Importar CSV</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="119"/>
        <source>import test-board file</source>
        <translation>importar el archivo del banco de pruebas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="123"/>
        <source>report file</source>
        <translation>archivo del informe</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="124"/>
        <source>lot-report.pdf or lot-report.html</source>
        <translation>informe-lote.pdf o informe-lote.html</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="126"/>
        <source>Write report</source>
        <translation>Escribir informe</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="134"/>
        <source>Type or scan the lot first.</source>
        <translation>Escriba o escanee primero el lote.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="155"/>
        <source>Lot {lot}</source>
        <translation>Lote {lot}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="160"/>
        <source>Opening the lot</source>
        <translation>Abriendo el lote</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="161"/>
        <source>Lot {lot}: {n} units received.</source>
        <translation>Lote {lot}: {n} unidades recibidas.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="165"/>
        <source>Choosing the plan</source>
        <translation>Eligiendo el plan</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="166"/>
        <source>Plan {scheme} (seed {seed}): pick {n}.</source>
        <translation>Plan {scheme} (semilla {seed}): seleccionar {n}.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="175"/>
        <source>Sending to the shop</source>
        <translation>Enviando al taller de medidores</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="176"/>
        <source>{moved} sent, {refused} refused.</source>
        <translation>{moved} enviados, {refused} rechazados.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="182"/>
        <source>Checking in</source>
        <translation>Registrando la entrada</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="183"/>
        <source>{moved} checked in, {refused} refused.</source>
        <translation>{moved} registrados, {refused} rechazados.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="188"/>
        <source>Deciding</source>
        <translation>Decidiendo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="189"/>
        <source>Sample {stage}: {defects} defective: {decision}.</source>
        <translation>Muestra {stage}: {defects} defectuosos: {decision}.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="194"/>
        <source>Samples back to the warehouse</source>
        <translation>Devolviendo las muestras al almacén</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="195"/>
        <source>{returned} returned, {released} released.</source>
        <translation>{returned} devueltos, {released} liberados.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="201"/>
        <source>Returning to the vendor</source>
        <translation>Devolviendo al proveedor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="203"/>
        <source>{n} unit(s) on their way back to the vendor.</source>
        <translation>{n} unidad(es) de vuelta al proveedor.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="209"/>
        <source>Choose the lot, the meter and the probe port.</source>
        <translation>Elija el lote, el medidor y el puerto de la sonda.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="229"/>
        <source>Testing {meter}</source>
        <translation>Probando {meter}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="233"/>
        <source>verdict {verdict}</source>
        <translation>veredicto {verdict}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="233"/>
        <source>open</source>
        <translation>abierto</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="242"/>
        <source>Recording accuracy</source>
        <translation>Registrando la exactitud</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="243"/>
        <source>{meter}: accuracy {outcome}.</source>
        <translation>{meter}: exactitud {outcome}.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="258"/>
        <source>Importing the test board</source>
        <translation>Importando el banco de pruebas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="259"/>
        <source>{recorded} recorded, {refused} refused.</source>
        <translation>{recorded} registrados, {refused} rechazados.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="270"/>
        <source>Report written: {path}</source>
        <translation>Informe escrito: {path}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="277"/>
        <source>Lot {lot} · {n} units · {status}</source>
        <translation>Lote {lot} · {n} unidades · {status}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="279"/>
        <source>plan {letter} {scheme} · seed {seed}</source>
        <translation>plan {letter} {scheme} · semilla {seed}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/bench_page.py" line="281"/>
        <source>decision {decision}</source>
        <translation>decisión {decision}</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="88"/>
        <source>Conflicts</source>
        <translation>Conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="94"/>
        <source>Jobs the back office changed while you worked them</source>
        <translation>Órdenes que la oficina central cambió mientras usted trabajaba en ellas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="97"/>
        <source>conflicts</source>
        <translation>conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="101"/>
        <source>Keep mine</source>
        <translation>Conservar la mía</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="101"/>
        <source>keep the local version</source>
        <translation>conservar la versión local</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="102"/>
        <source>Accept the back office&apos;s</source>
        <translation>Aceptar la de la oficina central</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="103"/>
        <source>accept the back office version</source>
        <translation>aceptar la versión de la oficina central</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="104"/>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="104"/>
        <source>refresh conflicts</source>
        <translation>actualizar los conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="117"/>
        <source>This laptop is not signed in to the back office yet.</source>
        <translation>Este portátil aún no ha iniciado sesión en la oficina central.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="119"/>
        <source>Reading conflicts</source>
        <translation>Leyendo los conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="126"/>
        <source>(your status: {status})</source>
        <translation>(su estado: {status})</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="131"/>
        <source>No conflicts: nothing to decide.</source>
        <translation>Sin conflictos: nada que decidir.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="141"/>
        <source>Settling the conflict</source>
        <translation>Resolviendo el conflicto</translation>
    </message>
</context>
<context>
    <name>CoveragePage</name>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="17"/>
        <source>Coverage</source>
        <translation>Cobertura</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="23"/>
        <source>Network coverage</source>
        <translation>Cobertura de red</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="26"/>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="26"/>
        <source>refresh coverage</source>
        <translation>actualizar la cobertura</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="27"/>
        <source>Export GeoJSON…</source>
        <translation>Exportar GeoJSON…</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="27"/>
        <source>export coverage as GeoJSON</source>
        <translation>exportar la cobertura como GeoJSON</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="28"/>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="28"/>
        <source>export coverage as CSV</source>
        <translation>exportar la cobertura como CSV</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="34"/>
        <source>coverage map</source>
        <translation>mapa de cobertura</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="38"/>
        <source>coverage reports</source>
        <translation>informes de cobertura</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="52"/>
        <source>Reading coverage reports</source>
        <translation>Leyendo los informes de cobertura</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="59"/>
        <source>no signal</source>
        <translation>sin señal</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="61"/>
        <source>job {job}, meter {meter}</source>
        <translation>orden {job}, medidor {meter}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="66"/>
        <source>Export coverage</source>
        <translation>Exportar cobertura</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="79"/>
        <source>Exporting coverage</source>
        <translation>Exportando la cobertura</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_page.py" line="81"/>
        <source>{n} reports written to {path}.</source>
        <translation>{n} informes escritos en {path}.</translation>
    </message>
</context>
<context>
    <name>CoveragePlot</name>
    <message>
        <location filename="../../fieldtool/ui/coverage_plot.py" line="32"/>
        <source>coverage plot</source>
        <translation>gráfico de cobertura</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/coverage_plot.py" line="45"/>
        <source>No coverage reports with a position yet.</source>
        <translation>Aún no hay informes de cobertura con posición.</translation>
    </message>
</context>
<context>
    <name>CustodyPage</name>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="33"/>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="33"/>
        <location filename="../../fieldtool/ui/custody_page.py" line="85"/>
        <source>Move</source>
        <translation>Movimiento</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="33"/>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="33"/>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="34"/>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="34"/>
        <location filename="../../fieldtool/ui/custody_page.py" line="85"/>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="34"/>
        <location filename="../../fieldtool/ui/custody_page.py" line="86"/>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="34"/>
        <location filename="../../fieldtool/ui/custody_page.py" line="87"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="55"/>
        <source>Custody</source>
        <translation>Custodia</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="64"/>
        <source>Custody scans</source>
        <translation>Escaneos de custodia</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="68"/>
        <source>move</source>
        <translation>movimiento</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="71"/>
        <source>location after the move</source>
        <translation>ubicación después del movimiento</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="73"/>
        <source>document</source>
        <translation>documento</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="74"/>
        <source>PO, ship notice, transfer, lot, work order or RMA number</source>
        <translation>Número de pedido, aviso de envío, traslado, lote, orden de trabajo o RMA</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="76"/>
        <source>installer</source>
        <translation>instalador</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="78"/>
        <source>reason</source>
        <translation>motivo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="80"/>
        <source>disposal method</source>
        <translation>método de eliminación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="83"/>
        <source>disposal cost</source>
        <translation>coste de eliminación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="86"/>
        <source>Installer</source>
        <translation>Instalador</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="87"/>
        <source>Disposal method</source>
        <translation>Método de eliminación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="88"/>
        <source>Disposal cost</source>
        <translation>Coste de eliminación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="93"/>
        <source>scan</source>
        <translation>escaneo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="94"/>
        <source>scan a meter, or a pallet/box label</source>
        <translation>escanee un medidor o una etiqueta de palé/caja</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="96"/>
        <source>Pallet or box label</source>
        <translation>Etiqueta de palé o caja</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="97"/>
        <source>scan is a pallet or box label</source>
        <translation>el escaneo es una etiqueta de palé o caja</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="102"/>
        <source>scanned units</source>
        <translation>unidades escaneadas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="104"/>
        <source>exceptions</source>
        <translation>excepciones</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="105"/>
        <source>units of the pallet to leave where they are, separated by spaces</source>
        <translation>unidades del palé que se quedan donde están, separadas por espacios</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="109"/>
        <source>Apply move</source>
        <translation>Aplicar movimiento</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="111"/>
        <source>Clear scans</source>
        <translation>Borrar escaneos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="114"/>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="114"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="115"/>
        <source>move results</source>
        <translation>resultados del movimiento</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="119"/>
        <source>history of unit</source>
        <translation>historial de la unidad</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="120"/>
        <source>meter number</source>
        <translation>número de medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="123"/>
        <source>Show history</source>
        <translation>Mostrar historial</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="125"/>
        <source>custody history</source>
        <translation>historial de custodia</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="157"/>
        <source>Scan a unit or a pallet label first.</source>
        <translation>Escanee primero una unidad o una etiqueta de palé.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="175"/>
        <source>{move}: {n} scan(s)</source>
        <translation>{move}: {n} escaneo(s)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="180"/>
        <source>moved</source>
        <translation>movido</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="180"/>
        <source>left in place (exception)</source>
        <translation>se queda donde está (excepción)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="182"/>
        <source>REFUSED: {reason}</source>
        <translation>RECHAZADO: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="185"/>
        <source>{moved} moved, {refused} refused, {excepted} left as exceptions.</source>
        <translation>{moved} movidos, {refused} rechazados, {excepted} dejados como excepciones.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/custody_page.py" line="194"/>
        <source>History of {unit}</source>
        <translation>Historial de {unit}</translation>
    </message>
</context>
<context>
    <name>EventForm</name>
    <message>
        <location filename="../../fieldtool/ui/event_form.py" line="92"/>
        <source>{label} (separate with commas)</source>
        <translation>{label} (separados por comas)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/event_form.py" line="101"/>
        <source>now, or 2026-11-26T09:30:00Z</source>
        <translation>now, o 2026-11-26T09:30:00Z</translation>
    </message>
</context>
<context>
    <name>ExchangePage</name>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="42"/>
        <source>Exchange</source>
        <translation>Cambio de medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="52"/>
        <source>No job open</source>
        <translation>Ninguna orden abierta</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="53"/>
        <source>Open a job from the job list (Alt+1).</source>
        <translation>Abra una orden desde la lista de órdenes (Alt+1).</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="54"/>
        <source>current step</source>
        <translation>paso actual</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="57"/>
        <source>time on site</source>
        <translation>tiempo en sitio</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="69"/>
        <source>Start the exchange</source>
        <translation>Iniciar el cambio</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="72"/>
        <source>Do this step with the meter / radio</source>
        <translation>Hacer este paso con el medidor / la radio</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="73"/>
        <source>do this step with the meter</source>
        <translation>hacer este paso con el medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="78"/>
        <source>what the photo shows</source>
        <translation>qué muestra la foto</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="80"/>
        <source>Photo of</source>
        <translation>Foto de</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="82"/>
        <source>From camera</source>
        <translation>Desde la cámara</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="82"/>
        <source>take a photo with the camera</source>
        <translation>tomar una foto con la cámara</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="83"/>
        <source>From file…</source>
        <translation>Desde un archivo…</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="83"/>
        <source>attach a photo from a file</source>
        <translation>adjuntar una foto desde un archivo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="85"/>
        <source>photos taken</source>
        <translation>fotos tomadas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="90"/>
        <source>back-office verification</source>
        <translation>verificación de la oficina central</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="97"/>
        <source>what to do next</source>
        <translation>qué hacer a continuación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="105"/>
        <source>job history</source>
        <translation>historial de la orden</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="106"/>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="132"/>
        <source>Loading the job</source>
        <translation>Cargando la orden de trabajo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="142"/>
        <location filename="../../fieldtool/ui/exchange_page.py" line="144"/>
        <location filename="../../fieldtool/ui/exchange_page.py" line="161"/>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="143"/>
        <source>Not started. Old meter {old}; new meter type {new}.</source>
        <translation>Sin empezar. Medidor antiguo {old}; tipo de medidor nuevo {new}.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="150"/>
        <source>Step {step}: {label}</source>
        <translation>Paso {step}: {label}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="162"/>
        <source>accepted</source>
        <translation>aceptado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="162"/>
        <source>NOT accepted</source>
        <translation>NO aceptado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="163"/>
        <source>Back office: {verdict} — discrepancies: {problems}</source>
        <translation>Oficina central: {verdict} — discrepancias: {problems}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="167"/>
        <source>Back office: not verified yet.</source>
        <translation>Oficina central: aún sin verificar.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="187"/>
        <source>finding {rule}</source>
        <translation>hallazgo {rule}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="190"/>
        <source>planned: {planned}   actual: {actual}</source>
        <translation>previsto: {planned}   real: {actual}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="198"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="199"/>
        <source>reason for {rule}</source>
        <translation>motivo de {rule}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="202"/>
        <source>Acknowledge</source>
        <translation>Dar por enterado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="203"/>
        <source>acknowledge {rule}</source>
        <translation>dar por enterado {rule}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="206"/>
        <source>Supervisor name</source>
        <translation>Nombre del supervisor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="207"/>
        <source>supervisor name</source>
        <translation>nombre del supervisor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="210"/>
        <source>Supervisor password</source>
        <translation>Contraseña del supervisor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="211"/>
        <source>supervisor password</source>
        <translation>contraseña del supervisor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="214"/>
        <source>Override</source>
        <translation>Anular</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="215"/>
        <source>override {rule}</source>
        <translation>anular {rule}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="221"/>
        <source>Recording the acknowledgement</source>
        <translation>Registrando la confirmación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="235"/>
        <source>Recording the override</source>
        <translation>Registrando la anulación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="242"/>
        <source>do: {label}</source>
        <translation>hacer: {label}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="255"/>
        <source>Attach a photo</source>
        <translation>Adjuntar una foto</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="255"/>
        <source>Images (*.jpg *.jpeg *.png)</source>
        <translation>Imágenes (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="279"/>
        <source>Open a job first.</source>
        <translation>Abra primero una orden de trabajo.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="295"/>
        <source>Saving the photo</source>
        <translation>Guardando la foto</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="299"/>
        <source>{n} photo(s); last {id} (SHA-256 {sha}…)</source>
        <translation>{n} foto(s); la última {id} (SHA-256 {sha}…)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="317"/>
        <source>Scanned {text}; this step takes no meter number.</source>
        <translation>Escaneado {text}; este paso no admite número de medidor.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="321"/>
        <source>Starting the exchange</source>
        <translation>Iniciando el cambio</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="335"/>
        <source>Choose the optical port first (right), then try again.</source>
        <translation>Elija primero el puerto óptico (a la derecha) y vuelva a intentarlo.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="362"/>
        <source>Talking to the meter</source>
        <translation>Comunicando con el medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/exchange_page.py" line="374"/>
        <source>On site {time} of 15:00</source>
        <translation>En sitio {time} de 15:00</translation>
    </message>
</context>
<context>
    <name>HanPage</name>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="32"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="32"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="33"/>
        <source>Ladder</source>
        <translation>Escalera</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="33"/>
        <source>Programs</source>
        <translation>Programas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="34"/>
        <source>What to do</source>
        <translation>Qué hacer</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="36"/>
        <source>load control</source>
        <translation>control de carga</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="36"/>
        <source>price</source>
        <translation>precio</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="37"/>
        <source>messaging</source>
        <translation>mensajería</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="45"/>
        <source>HAN</source>
        <translation>HAN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="53"/>
        <location filename="../../fieldtool/ui/han_page.py" line="72"/>
        <source>HAN devices</source>
        <translation>Dispositivos HAN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="57"/>
        <source>Job or account the HAN work is kept with</source>
        <translation>Orden de trabajo o cuenta a la que se asocia el trabajo HAN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="58"/>
        <source>job</source>
        <translation>orden de trabajo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="60"/>
        <source>Meter number</source>
        <translation>Número de medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="61"/>
        <source>meter number</source>
        <translation>número de medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="64"/>
        <source>Discover</source>
        <translation>Descubrir</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="64"/>
        <source>discover HAN devices</source>
        <translation>descubrir dispositivos HAN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="65"/>
        <source>Diagnose</source>
        <translation>Diagnosticar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="65"/>
        <source>diagnose the HAN</source>
        <translation>diagnosticar la red HAN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="81"/>
        <source>Scan the device label, or type EUI64</source>
        <translation>Escanee la etiqueta del dispositivo o escriba el EUI64</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="82"/>
        <source>device label or EUI64</source>
        <translation>etiqueta del dispositivo o EUI64</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="85"/>
        <source>Install code (grouped as printed)</source>
        <translation>Código de instalación (agrupado como está impreso)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="86"/>
        <source>install code</source>
        <translation>código de instalación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="92"/>
        <source>program {name}</source>
        <translation>programa {name}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="96"/>
        <source>Provision</source>
        <translation>Aprovisionar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="96"/>
        <source>provision the device</source>
        <translation>aprovisionar el dispositivo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="99"/>
        <source>install code check</source>
        <translation>comprobación del código de instalación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="103"/>
        <source>HAN log</source>
        <translation>Registro HAN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="104"/>
        <source>Every HAN interaction, live</source>
        <translation>Cada interacción HAN, en directo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="134"/>
        <source>Install code CRC correct.</source>
        <translation>CRC del código de instalación correcto.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="157"/>
        <source>Give the job (or account) and choose the optical port first.</source>
        <translation>Indique la orden de trabajo (o la cuenta) y elija primero el puerto óptico.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="173"/>
        <source>Discovering HAN devices</source>
        <translation>Descubriendo dispositivos HAN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="176"/>
        <source>Diagnosing the HAN</source>
        <translation>Diagnosticando la red HAN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="190"/>
        <source>Provisioning {eui}</source>
        <translation>Aprovisionando {eui}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="199"/>
        <source>The HAN looks healthy: nothing needs attention.</source>
        <translation>La red HAN está en buen estado: nada requiere atención.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/han_page.py" line="213"/>
        <source>{eui} is provisioned and participating.</source>
        <translation>{eui} está aprovisionado y participa.</translation>
    </message>
</context>
<context>
    <name>JobsModel</name>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="31"/>
        <source>Job</source>
        <translation>Orden</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="32"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="32"/>
        <source>Route</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="33"/>
        <source>Old meter</source>
        <translation>Medidor antiguo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="34"/>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="35"/>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="35"/>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
</context>
<context>
    <name>JobsPage</name>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="85"/>
        <source>Jobs</source>
        <translation>Trabajos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="93"/>
        <source>Today&apos;s jobs</source>
        <translation>Órdenes de trabajo de hoy</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="97"/>
        <source>Search: meter number, address, customer, job…</source>
        <translation>Buscar: número de medidor, dirección, cliente, orden…</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="98"/>
        <source>search jobs</source>
        <translation>buscar órdenes</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="101"/>
        <source>route</source>
        <translation>ruta</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="103"/>
        <source>status</source>
        <translation>estado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="105"/>
        <source>Route</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="107"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="109"/>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="109"/>
        <source>refresh jobs</source>
        <translation>actualizar las órdenes</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="112"/>
        <source>job counts</source>
        <translation>recuento de órdenes</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="116"/>
        <source>job list</source>
        <translation>lista de órdenes</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="148"/>
        <source>Loading jobs</source>
        <translation>Cargando las órdenes de trabajo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/jobs_page.py" line="167"/>
        <source>{n} of {total} jobs</source>
        <translation>{n} de {total} órdenes</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="19"/>
        <source>fieldtool — log in</source>
        <translation>fieldtool — iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="20"/>
        <source>log in</source>
        <translation>iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="22"/>
        <source>Create the first account (supervisor)</source>
        <translation>Crear la primera cuenta (supervisor)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="22"/>
        <location filename="../../fieldtool/ui/login.py" line="40"/>
        <source>Log in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="27"/>
        <source>user name</source>
        <translation>nombre de usuario</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="30"/>
        <source>password</source>
        <translation>contraseña</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="31"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="32"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="34"/>
        <source>role</source>
        <translation>rol</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="38"/>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/login.py" line="40"/>
        <source>Create account</source>
        <translation>Crear cuenta</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="109"/>
        <source>fieldtool — {name} ({role})</source>
        <translation>fieldtool — {name} ({role})</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="110"/>
        <source>fieldtool main window</source>
        <translation>ventana principal de fieldtool</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="174"/>
        <source>Scanned: {text}</source>
        <translation>Escaneado: {text}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/main_window.py" line="187"/>
        <source>Theme: {theme}</source>
        <translation>Tema: {theme}</translation>
    </message>
</context>
<context>
    <name>MeterPanel</name>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="37"/>
        <source>simulator: {profile} at {url}</source>
        <translation>simulador: {profile} en {url}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="61"/>
        <source>Meter (optical port)</source>
        <translation>Medidor (puerto óptico)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="63"/>
        <source>meter panel</source>
        <translation>panel del medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="69"/>
        <source>optical port</source>
        <translation>puerto óptico</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="71"/>
        <source>Rescan</source>
        <translation>Volver a buscar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="71"/>
        <source>rescan ports</source>
        <translation>volver a buscar puertos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="72"/>
        <source>Connect</source>
        <translation>Conectar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="72"/>
        <source>connect to the meter</source>
        <translation>conectar con el medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="78"/>
        <source>Not connected.</source>
        <translation>No conectado.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="80"/>
        <source>meter identity</source>
        <translation>identidad del medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="84"/>
        <source>meter health</source>
        <translation>estado del medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="89"/>
        <source>session transcript</source>
        <translation>transcripción de la sesión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="90"/>
        <source>Session transcript</source>
        <translation>Transcripción de la sesión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="121"/>
        <source>Choose or type the optical port first.</source>
        <translation>Elija o escriba primero el puerto óptico.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="134"/>
        <source>Connecting to the meter</source>
        <translation>Conectando con el medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="138"/>
        <source>{maker} {model} · meter {meter} · serial {serial} · form {form} · {protocol} · network: {network}</source>
        <translation>{maker} {model} · medidor {meter} · serie {serial} · forma {form} · {protocol} · red: {network}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="144"/>
        <source>Critical: {flags}. Replace the meter.</source>
        <translation>Crítico: {flags}. Sustituya el medidor.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="147"/>
        <source>Healthy, with non-critical flags: {flags}</source>
        <translation>En buen estado, con avisos no críticos: {flags}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/meter_panel.py" line="150"/>
        <source>Healthy: no status flags.</source>
        <translation>En buen estado: sin avisos de estado.</translation>
    </message>
</context>
<context>
    <name>Op</name>
    <message>
        <location filename="../../fieldtool/ui/ops.py" line="145"/>
        <source>Something went wrong that the tool did not expect ({error}). The details are in {log}.</source>
        <translation>Ocurrió algo que la herramienta no esperaba ({error}). Los detalles están en {log}.</translation>
    </message>
</context>
<context>
    <name>OpStrip</name>
    <message>
        <location filename="../../fieldtool/ui/widgets.py" line="63"/>
        <source>progress</source>
        <translation>progreso</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/widgets.py" line="64"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/widgets.py" line="64"/>
        <source>cancel operation</source>
        <translation>cancelar la operación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/widgets.py" line="89"/>
        <source>{label}: cancelled.</source>
        <translation>{label}: cancelado.</translation>
    </message>
</context>
<context>
    <name>PlannerPage</name>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="30"/>
        <location filename="../../fieldtool/ui/planner_page.py" line="35"/>
        <location filename="../../fieldtool/ui/planner_page.py" line="41"/>
        <source>Item</source>
        <translation>Artículo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="30"/>
        <source>Quantity</source>
        <translation>Cantidad</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="31"/>
        <source>Place by</source>
        <translation>Pedir antes de</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="32"/>
        <source>Delivered by</source>
        <translation>Entregar antes de</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="33"/>
        <source>Ship by</source>
        <translation>Enviar antes de</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="34"/>
        <source>District week</source>
        <translation>Semana en el distrito</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="35"/>
        <location filename="../../fieldtool/ui/planner_page.py" line="41"/>
        <location filename="../../fieldtool/ui/planner_page.py" line="88"/>
        <source>District</source>
        <translation>Distrito</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="36"/>
        <source>From week</source>
        <translation>Desde la semana</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="37"/>
        <source>Weeks</source>
        <translation>Semanas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="38"/>
        <source>Below safety</source>
        <translation>Bajo el nivel de seguridad</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="39"/>
        <source>Without meters</source>
        <translation>Sin medidores</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="40"/>
        <source>Why</source>
        <translation>Por qué</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="42"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="42"/>
        <source>Week</source>
        <translation>Semana</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="43"/>
        <source>Projected</source>
        <translation>Previsto</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="44"/>
        <source>Min</source>
        <translation>Mín.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="44"/>
        <source>Max</source>
        <translation>Máx.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="45"/>
        <source>Fix</source>
        <translation>Solución</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="49"/>
        <source>Planning</source>
        <translation>Planificación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="57"/>
        <source>Deployment planning</source>
        <translation>Planificación del despliegue</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="61"/>
        <source>plan file</source>
        <translation>archivo del plan</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="62"/>
        <source>roll-out plan (.json), see docs/planning.md</source>
        <translation>plan de despliegue (.json), vea docs/planning.md</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="64"/>
        <source>stock file</source>
        <translation>archivo de existencias</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="65"/>
        <source>optional: stock on hand, in transit, installs done (.json)</source>
        <translation>opcional: existencias en almacén, en tránsito, instalaciones hechas (.json)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="67"/>
        <source>schedule export file</source>
        <translation>archivo de exportación del calendario</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="68"/>
        <source>schedule.csv or schedule.json</source>
        <translation>calendario.csv o calendario.json</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="69"/>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="70"/>
        <location filename="../../fieldtool/ui/planner_page.py" line="98"/>
        <source>Stock</source>
        <translation>Existencias</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="71"/>
        <source>Export to</source>
        <translation>Exportar a</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="74"/>
        <source>Forecast</source>
        <translation>Previsión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="75"/>
        <source>Export schedule</source>
        <translation>Exportar calendario</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="85"/>
        <source>district</source>
        <translation>distrito</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="87"/>
        <source>meter or HAN device type</source>
        <translation>tipo de medidor o de dispositivo HAN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="90"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="95"/>
        <source>purchase orders</source>
        <translation>pedidos de compra</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="96"/>
        <source>shortfalls</source>
        <translation>faltantes</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="97"/>
        <source>stock flags</source>
        <translation>alertas de existencias</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="99"/>
        <source>Purchase orders</source>
        <translation>Pedidos de compra</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="100"/>
        <source>Shortfalls</source>
        <translation>Faltantes</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="101"/>
        <source>Stock flags</source>
        <translation>Alertas de existencias</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="111"/>
        <source>Choose a plan file first.</source>
        <translation>Elija primero un archivo de plan.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="114"/>
        <location filename="../../fieldtool/ui/planner_page.py" line="123"/>
        <source>Forecasting</source>
        <translation>Calculando la previsión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="128"/>
        <source>Run a forecast first; the export is its schedule.</source>
        <translation>Calcule primero una previsión; lo que se exporta es su calendario.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="131"/>
        <source>Type where the schedule goes (a .csv or .json file).</source>
        <translation>Escriba dónde guardar el calendario (un archivo .csv o .json).</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="134"/>
        <source>Exporting the schedule</source>
        <translation>Exportando el calendario</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="141"/>
        <source>{n} meter type(s) needed ({forms})</source>
        <translation>{n} tipo(s) de medidor necesarios ({forms})</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="143"/>
        <source>{n} installs</source>
        <translation>{n} instalaciones</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="144"/>
        <source>{n} purchase order(s)</source>
        <translation>{n} pedido(s) de compra</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="145"/>
        <source>{n} shortfall(s)</source>
        <translation>{n} faltante(s)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="147"/>
        <source>{n} stock flag(s)</source>
        <translation>{n} alerta(s) de existencias</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="149"/>
        <source>Forecast ready.</source>
        <translation>Previsión lista.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/planner_page.py" line="175"/>
        <source>{n} work orders written to {path}.</source>
        <translation>{n} órdenes de trabajo escritas en {path}.</translation>
    </message>
</context>
<context>
    <name>ScanPage</name>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="52"/>
        <source>{text} — not recognised: {reason}</source>
        <translation>{text} — no reconocido: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="57"/>
        <source>PROBLEM: {problems}</source>
        <translation>PROBLEMA: {problems}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="62"/>
        <source>Scan</source>
        <translation>Escanear</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="71"/>
        <source>Scan labels</source>
        <translation>Escanear etiquetas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="75"/>
        <source>Camera number (0) or a video file</source>
        <translation>Número de cámara (0) o un archivo de vídeo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="76"/>
        <source>camera or video source</source>
        <translation>cámara o fuente de vídeo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="79"/>
        <source>Start camera</source>
        <translation>Iniciar cámara</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="80"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="86"/>
        <source>No camera running.</source>
        <translation>No hay ninguna cámara en marcha.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="88"/>
        <source>camera preview</source>
        <translation>vista previa de la cámara</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="93"/>
        <source>scans</source>
        <translation>escaneos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="95"/>
        <source>Scans (newest first)</source>
        <translation>Escaneos (los más recientes primero)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="98"/>
        <source>Type or wedge-scan a label here, then Enter</source>
        <translation>Escriba o escanee una etiqueta aquí y pulse Intro</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="99"/>
        <source>label text</source>
        <translation>texto de la etiqueta</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="103"/>
        <source>Use in the job</source>
        <translation>Usar en la orden</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="103"/>
        <source>use the selected scan in the job</source>
        <translation>usar el escaneo seleccionado en la orden</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="129"/>
        <source>Camera running</source>
        <translation>Cámara en marcha</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="136"/>
        <source>The camera stopped: {error}</source>
        <translation>La cámara se detuvo: {error}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="165"/>
        <source>Scan something, and open a job first.</source>
        <translation>Escanee algo y abra primero una orden de trabajo.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/scan_page.py" line="170"/>
        <source>The job&apos;s current step takes no scanned number.</source>
        <translation>El paso actual de la orden no admite números escaneados.</translation>
    </message>
</context>
<context>
    <name>StockChart</name>
    <message>
        <location filename="../../fieldtool/ui/stock_chart.py" line="17"/>
        <source>max</source>
        <translation>máx.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/stock_chart.py" line="18"/>
        <source>min</source>
        <translation>mín.</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/stock_chart.py" line="19"/>
        <source>safety (3 months)</source>
        <translation>seguridad (3 meses)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/stock_chart.py" line="20"/>
        <source>projected stock</source>
        <translation>existencias previstas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/stock_chart.py" line="34"/>
        <source>projected stock chart</source>
        <translation>gráfico de existencias previstas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/stock_chart.py" line="68"/>
        <source>No forecast loaded</source>
        <translation>No hay ninguna previsión cargada</translation>
    </message>
</context>
<context>
    <name>SyncBar</name>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="32"/>
        <source>not tried yet</source>
        <translation>aún sin intentar</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="33"/>
        <source>online</source>
        <translation>en línea</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="33"/>
        <source>OFFLINE</source>
        <translation>SIN CONEXIÓN</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="34"/>
        <source>Back office: {state}</source>
        <translation>Oficina central: {state}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="35"/>
        <source>{n} queued</source>
        <translation>{n} en cola</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="37"/>
        <source>sending…</source>
        <translation>enviando…</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="39"/>
        <source>{n} refused (see Outbox)</source>
        <translation>{n} rechazados (vea la bandeja de salida)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="41"/>
        <source>last sync {time}</source>
        <translation>última sincronización {time}</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="43"/>
        <source>sign in again</source>
        <translation>vuelva a iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="61"/>
        <source>sync status</source>
        <translation>estado de la sincronización</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="62"/>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="84"/>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="62"/>
        <source>sync with the back office now</source>
        <translation>sincronizar ahora con la oficina central</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/sync_widgets.py" line="81"/>
        <source>Cancel sync</source>
        <translation>Cancelar sincronización</translation>
    </message>
</context>
<context>
    <name>Workflow</name>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="13"/>
        <source>Scan the meter issued to you</source>
        <translation>Escanee el medidor que se le entregó</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="14"/>
        <source>Travel to the job site</source>
        <translation>Desplácese al lugar de la orden</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="15"/>
        <source>Verify the old meter and record what you find</source>
        <translation>Verifique el medidor antiguo y anote lo que encuentre</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="16"/>
        <source>Take the old meter&apos;s final read</source>
        <translation>Tome la lectura final del medidor antiguo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="17"/>
        <source>Remove the old meter</source>
        <translation>Retire el medidor antiguo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="18"/>
        <source>Install the new meter</source>
        <translation>Instale el medidor nuevo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="19"/>
        <source>Wait for the meter&apos;s self-check</source>
        <translation>Espere la autoverificación del medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="20"/>
        <source>The self-check failed: check again or replace the meter</source>
        <translation>La autoverificación falló: vuelva a comprobar o sustituya el medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="21"/>
        <source>Read the meter&apos;s id and form</source>
        <translation>Lea el identificador y la forma del medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="22"/>
        <source>Write location, service point and removed-meter data into the meter</source>
        <translation>Escriba en el medidor la ubicación, el punto de servicio y los datos del medidor retirado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="23"/>
        <source>Wait for the meter to register on the AMI network</source>
        <translation>Espere a que el medidor se registre en la red AMI</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="24"/>
        <source>The meter did not register: test the network</source>
        <translation>El medidor no se registró: pruebe la red</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="25"/>
        <source>Decide whether the network coverage is adequate</source>
        <translation>Decida si la cobertura de red es suficiente</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="26"/>
        <source>Coverage is adequate: replace the meter</source>
        <translation>La cobertura es suficiente: sustituya el medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="27"/>
        <source>Report marginal coverage</source>
        <translation>Informe de cobertura marginal</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="28"/>
        <source>Queue the soft-registration</source>
        <translation>Poner en cola el registro diferido</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="29"/>
        <source>Report the installation to the AMI</source>
        <translation>Informe de la instalación al AMI</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="30"/>
        <source>Waiting for the back office to verify</source>
        <translation>Esperando la verificación de la oficina central</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="31"/>
        <source>The back office found discrepancies</source>
        <translation>La oficina central encontró discrepancias</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="32"/>
        <source>Installation complete</source>
        <translation>Instalación terminada</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="33"/>
        <source>Cannot complete: a go-back was created</source>
        <translation>No se puede terminar: se creó una visita de retorno</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="34"/>
        <source>Scan the new meter issued to you</source>
        <translation>Escanee el medidor nuevo que se le entregó</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="35"/>
        <source>Arrived at the premise</source>
        <translation>Llegada al domicilio</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="36"/>
        <source>Enter the old meter&apos;s number and form</source>
        <translation>Introduzca el número y la forma del medidor antiguo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="37"/>
        <source>Enter the old meter&apos;s final read</source>
        <translation>Introduzca la lectura final del medidor antiguo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="38"/>
        <source>Old meter removed</source>
        <translation>Medidor antiguo retirado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="39"/>
        <source>New meter set in the socket</source>
        <translation>Medidor nuevo colocado en la base</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="40"/>
        <source>Meter self-check result</source>
        <translation>Resultado de la autoverificación del medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="41"/>
        <source>Replace the new meter with another</source>
        <translation>Sustituir el medidor nuevo por otro</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="42"/>
        <source>Meter identified</source>
        <translation>Medidor identificado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="43"/>
        <source>Location and service point written into the meter</source>
        <translation>Ubicación y punto de servicio escritos en el medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="44"/>
        <source>Meter did not register in time</source>
        <translation>El medidor no se registró a tiempo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="45"/>
        <source>Network test result</source>
        <translation>Resultado de la prueba de red</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="46"/>
        <source>Coverage verdict</source>
        <translation>Veredicto de cobertura</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="47"/>
        <source>Queue the soft-registration and leave</source>
        <translation>Poner en cola el registro diferido y salir</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="48"/>
        <source>Meter registered on the AMI network</source>
        <translation>Medidor registrado en la red AMI</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="49"/>
        <source>Report the installation and leave</source>
        <translation>Informar de la instalación y salir</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="50"/>
        <source>Back-office verification result</source>
        <translation>Resultado de la verificación de la oficina central</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="51"/>
        <source>HAN devices found</source>
        <translation>Dispositivos HAN encontrados</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="52"/>
        <source>Record an as-found condition</source>
        <translation>Anotar una condición encontrada</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="53"/>
        <source>Cannot complete: create a go-back</source>
        <translation>No se puede terminar: crear una visita de retorno</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="57"/>
        <source>Meter number</source>
        <translation>Número de medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="58"/>
        <source>Meter type</source>
        <translation>Tipo de medidor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="59"/>
        <source>Position</source>
        <translation>Posición</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="60"/>
        <source>Location id</source>
        <translation>Identificador de ubicación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="61"/>
        <source>Form</source>
        <translation>Forma</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="62"/>
        <source>Conditions</source>
        <translation>Condiciones</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="63"/>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="64"/>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="65"/>
        <source>Read at</source>
        <translation>Leído el</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="66"/>
        <source>Passed</source>
        <translation>Superada</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="67"/>
        <source>Errors</source>
        <translation>Errores</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="68"/>
        <source>Warnings</source>
        <translation>Advertencias</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="69"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="70"/>
        <source>Program id</source>
        <translation>Identificador de programa</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="71"/>
        <source>Manufacturer</source>
        <translation>Fabricante</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="72"/>
        <source>Manufacturer serial</source>
        <translation>Número de serie del fabricante</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="73"/>
        <source>Comm module serial</source>
        <translation>Número de serie del módulo de comunicaciones</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="74"/>
        <source>Firmware version</source>
        <translation>Versión de firmware</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="75"/>
        <source>Install read</source>
        <translation>Lectura de instalación</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="76"/>
        <source>Technology</source>
        <translation>Tecnología</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="77"/>
        <source>Reachable</source>
        <translation>Accesible</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="78"/>
        <source>Signal dbm</source>
        <translation>Señal (dBm)</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="79"/>
        <source>Detail</source>
        <translation>Detalle</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="80"/>
        <source>Verdict</source>
        <translation>Veredicto</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="81"/>
        <source>Comms address</source>
        <translation>Dirección de comunicaciones</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="82"/>
        <source>Accepted</source>
        <translation>Aceptado</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="83"/>
        <source>Discrepancies</source>
        <translation>Discrepancias</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="84"/>
        <source>Device ids</source>
        <translation>Identificadores de dispositivos</translation>
    </message>
    <message>
        <location filename="../../fieldtool/ui/workflow_words.py" line="85"/>
        <source>Photo ids</source>
        <translation>Identificadores de fotos</translation>
    </message>
</context>
</TS>
