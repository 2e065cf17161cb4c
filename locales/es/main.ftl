# Portal de Proveedores: cada texto visible, en español (de EE. UU., trato de usted).
# Mismas claves y mismos marcadores que locales/en/main.ftl.

language-name = Español
site-name = Portal de Proveedores
page-title = { $page } - Portal de Proveedores
meta-description = Pase sus cuentas de los portales de proveedores antiguos a un solo usuario del portal nuevo.
skip-link = Saltar al contenido principal
language-nav = Idioma
footer-guide = Guía rápida
loading = Cargando…
continuing-at = Continuando en
starting-at = Comenzando en

## Botones y enlaces

button-next = Siguiente
button-previous = Anterior
button-cancel = Cancelar
button-working = Procesando…
nav-offline = No se pudo conectar con el Portal de Proveedores. Revise su conexión y vuelva a pulsar el botón; lo que escribió sigue aquí.
nav-retry = Su formulario se enviará de nuevo cuando termine la espera; no tiene que pulsar nada.
button-submit = Enviar
button-finish = Terminar
button-add-another = Agregar otra cuenta
button-new-code = Pedir un código nuevo
button-login = Iniciar sesión
button-go-to-sign-in = Ir a iniciar sesión
button-sign-out = Cerrar sesión
button-add-old-account = Agregar una cuenta antigua
link-forgot-username = Olvidé mi usuario
link-forgot-password = Olvidé mi contraseña
link-register = Registrarse
show-password = Mostrar contraseña
hide-password = Ocultar contraseña

## Etiquetas y ayudas de los campos

label-username = Usuario
label-password = Contraseña
label-tin = Número de identificación fiscal (TIN)
label-email = Correo electrónico
label-verify-email = Confirme el correo electrónico
label-code = Código de verificación
hint-tin = 9 dígitos, con o sin guion: 836576879 o 83-6576879
hint-answer = Escriba la respuesta o, si lo prefiere, el PIN de la cuenta. No importan las mayúsculas. Después de 5 intentos fallidos, este paso se bloquea durante 15 minutos.
hint-verify-email = Escriba otra vez la misma dirección.
hint-code = Los 6 dígitos del correo, por ejemplo 123456. Puede incluir espacios.
hint-password = Después de 5 intentos fallidos, este paso se bloquea durante 15 minutos.

## Preguntas de seguridad

question-whats-your-maiden-name = ¿Cuál es su apellido de soltera?
question-what-city-were-you-born-in = ¿En qué ciudad nació?
question-what-was-the-name-of-your-first-pet = ¿Cómo se llamaba su primera mascota?
question-what-is-your-mothers-maiden-name = ¿Cuál es el apellido de soltera de su madre?
question-what-was-the-make-of-your-first-car = ¿De qué marca era su primer auto?
question-what-street-did-you-grow-up-on = ¿En qué calle se crió?

## Página de inicio de sesión

signin-heading = Iniciar sesión
signin-first-visit = Si ya tiene una cuenta con nosotros y es la primera vez que visita nuestro portal nuevo,
signin-first-visit-link = haga clic aquí para continuar
signin-new = Si es nuevo y tiene un código de registro, haga clic en Registrarse, abajo, para empezar.
signin-trouble = Si no ha recibido un código o tiene problemas,
signin-trouble-link = consulte nuestra guía rápida
signin-trouble-end = para más información.
notice-cancelled = Canceló la configuración de la cuenta. No se cambió nada.
notice-signed-out = Cerró la sesión.
notice-fault = Algo falló de nuestro lado. Vuelva a intentarlo en un minuto. Si sigue ocurriendo, comuníquese con soporte y dé la referencia { $reference }.
error-sign-in = El usuario o la contraseña no son correctos. Revise ambos y vuelva a intentarlo. Después de 5 intentos fallidos, el inicio de sesión se bloquea durante 15 minutos.
error-busy = Se están comprobando estos datos varias veces al mismo tiempo. No se le ha contado ningún intento: espere unos segundos y vuelva a intentarlo.

## El asistente

step-lookup = Búsqueda de la cuenta
step-verify = Verificación de la cuenta
step-email = Verificación del correo electrónico
step-code = Verificación del código de seguridad
step-password = Verificar usuario y contraseña
step-review = Cuentas que se van a unir
step-done = Gracias
steps-label = Progreso
steps-count = Paso { $n } de { $count }
steps-done = { $step } (completado)
steps-current = { $step } (paso actual)
steps-todo = { $step } (sin empezar)
help-link-lead = ¿Tiene problemas?
help-link = Consulte nuestra guía rápida.
error-summary-title = Hay un problema
error-prefix = Error:

lookup-lead = Necesitamos buscar sus datos antes de empezar. Escriba su usuario y cualquier número de identificación fiscal asociado a su cuenta, y haga clic en Siguiente para continuar.
lookup-already = Ya está en su lista: { $names }.
verify-lead = Escriba abajo la respuesta a su pregunta de seguridad o su PIN para verificar su cuenta.
email-lead = Escriba su propia dirección de correo electrónico, no una compartida. Le enviaremos un código para verificarla. También usaremos esta dirección si olvida su usuario o necesita restablecer su contraseña.
code-lead-start = Enviamos un código de 6 dígitos a
code-lead-end = . Puede tardar un minuto en llegar: si no lo ve, revise la carpeta de correo no deseado. El código vale durante 10 minutos.
countdown-now = ¿No le llegó? Ya puede pedir un código nuevo.
countdown-wait = { $seconds ->
    [one] ¿No le llegó? Podrá pedir un código nuevo en { $seconds } segundo.
   *[other] ¿No le llegó? Podrá pedir un código nuevo en { $seconds } segundos.
}
code-no-mail-heading = ¿No le llegó nuestro correo?
code-no-mail-spam = Busque en la carpeta de correo no deseado y busque "Portal de Proveedores" en su correo.
code-no-mail-address = Revise la dirección de arriba. Si está mal, seleccione Anterior y corríjala.
code-no-mail-wait = El correo puede tardar unos minutos. Después seleccione Pedir un código nuevo: solo vale el código más reciente.
code-no-mail-office = Algunas oficinas bloquean el correo de fuera. Pida a quien administre el correo de su oficina que deje pasar el correo del Portal de Proveedores.
code-no-mail-support = ¿Sigue sin llegar después de 15 minutos? Llame a soporte para proveedores: pueden ayudarle y nunca le pedirán su contraseña.
password-lead = Escriba el usuario y la contraseña de su cuenta existente.
review-lead = Estas cuentas antiguas están listas para pasar a un solo usuario. Todavía no se ha unido nada.
review-more = ¿Tiene otra cuenta antigua? Agréguela ahora, para que todos sus números de identificación fiscal queden bajo un solo usuario. Cuando la lista esté completa, seleccione Terminar.
done-start = Sus cuentas ya están bajo un solo usuario. Inicie sesión en el portal nuevo con el usuario
done-end = y la contraseña de esa cuenta.
done-list-heading = Cuentas bajo este usuario
accounts-caption = Cuentas
col-practice = Consultorio
col-old-username = Usuario antiguo
col-role = Función
col-tins = Números de identificación fiscal

notice-out-of-order = Esa página estaba desactualizada, así que no se cambió nada. Puede seguir desde aquí.
notice-expired = Por su seguridad, la configuración de la cuenta termina tras 15 minutos sin actividad o 60 minutos en total. No se cambió nada: vuelva a empezar.
notice-fault-step = Algo falló de nuestro lado y ese paso no se completó. Lo que escribió antes se conserva: vuelva a intentarlo en un minuto. Si sigue ocurriendo, comuníquese con soporte y dé la referencia { $reference }.
fault-open-wizard = No podemos abrir la configuración de su cuenta en este momento. Vuelva a intentarlo en un minuto. Si sigue ocurriendo, comuníquese con soporte y dé la referencia { $reference }.
notice-already-consolidated = Esta cuenta ya pasó al portal nuevo, así que no hay nada más que hacer con ella.
notice-already-consolidated-link = Inicie sesión
notice-already-consolidated-end = con su usuario y contraseña del portal nuevo.
notice-already-in-list = Esa cuenta ya está en su lista. Busque otra cuenta antigua.
notice-new-code = Enviamos un código nuevo a { $email }. Los códigos enviados antes ya no valen.

## Mensajes junto a un campo

error-username-empty = Escriba su usuario.
error-username-long = El usuario tiene como máximo 254 caracteres.
error-username-invisible = El usuario no puede tener caracteres invisibles, como espacios de ancho cero o marcas de dirección.
error-username-mixed-script = Use las letras de un solo alfabeto: un usuario que mezcla alfabetos (como el latino y el cirílico) puede parecerse al de otra persona.
error-username-spaces = El usuario no puede tener espacios.
error-tin-empty = Escriba un número de identificación fiscal.
error-tin-format = Escriba un número de identificación fiscal de 9 dígitos, por ejemplo 836576879 o 83-6576879.
error-answer-empty = Escriba la respuesta a su pregunta de seguridad o su PIN.
error-answer-wrong = Esa respuesta o PIN no coincide con nuestros registros. Revise cómo lo escribió y vuelva a intentarlo.
error-email-empty = Escriba su dirección de correo electrónico.
error-email-format = Escriba una dirección de correo electrónico con el formato correcto, por ejemplo nombre@ejemplo.com.
error-verify-email-empty = Escriba otra vez su dirección de correo electrónico para confirmarla.
error-verify-email-different = Las dos direcciones de correo electrónico no son iguales. Revise ambas y vuelva a intentarlo.
error-mail-fault = No pudimos enviar el correo en este momento. Vuelva a intentarlo en unos minutos. Si sigue ocurriendo, comuníquese con soporte y dé la referencia { $reference }.
error-code-empty = Escriba el código de 6 dígitos del correo.
error-code-format = El código tiene 6 dígitos, por ejemplo 123456.
code-complete = Están los 6 dígitos.
error-code-too-soon = Enviamos un código hace menos de un minuto. Podrá pedir otro en { $seconds } segundos.
error-code-hourly-limit = Pidió 5 códigos en la última hora, que es lo máximo que enviamos. Vuelva a intentarlo más tarde o busque los códigos ya enviados en la carpeta de correo no deseado.
error-code-daily-limit = Ya enviamos hoy 10 códigos a esta dirección o para esta cuenta, que es lo máximo que enviamos en un día. Use un código que enviamos antes o vuelva a intentarlo mañana.
error-code-void = Este código ya no se puede usar. Seleccione Pedir un código nuevo y le enviaremos otro.
error-code-expired = Este código venció: los códigos valen durante 10 minutos. Seleccione Pedir un código nuevo y le enviaremos otro.
error-code-used-up = Ese código no es correcto y ya se intentó 5 veces, así que ya no vale. Seleccione Pedir un código nuevo y le enviaremos otro.
error-code-wrong = { $left ->
    [one] Ese código no es correcto. Revise el último correo que le enviamos y vuelva a intentarlo (le queda { $left } intento).
   *[other] Ese código no es correcto. Revise el último correo que le enviamos y vuelva a intentarlo (le quedan { $left } intentos).
}
error-password-empty = Escriba la contraseña de esta cuenta.
error-password-wrong = El usuario o la contraseña no son correctos. Revise ambos y vuelva a intentarlo.
error-password-recheck = La contraseña no es correcta. Revísela y vuelva a intentarlo.
error-finish-lost-account = La cuenta { $name } pasó al portal nuevo hace un momento con otra configuración, así que se quitó de su lista y no se unió nada. Seleccione Terminar para unir las demás cuentas.

## Mis cuentas

accounts-heading = Mis cuentas
accounts-signed-in-as = Sesión iniciada como
accounts-email = Correo electrónico:
accounts-add-heading = Agregar otra cuenta antigua
accounts-add-text = Para pasar otra cuenta antigua a este usuario, primero confirme su contraseña.
fault-accounts = No podemos mostrar sus cuentas en este momento. Vuelva a intentarlo en un minuto. Si sigue ocurriendo, comuníquese con soporte y dé la referencia { $reference }.

## Otras páginas

back-to-sign-in = Volver a iniciar sesión
not-found-heading = No se encontró la página
not-found-text = Si escribió la dirección, revise que sea correcta.
not-found-link = Ir a la página de inicio de sesión

## Olvidé mi usuario, Olvidé mi contraseña, Registrarse

notice-password-changed = Su contraseña cambió, y todas las sesiones abiertas con la anterior se cerraron. Inicie sesión con su contraseña nueva.
notice-flow-expired = Por su seguridad, esta página termina tras 15 minutos sin actividad o 60 minutos en total. No se cambió nada: empiece de nuevo.
notice-new-flow-code = Enviamos un código nuevo. Los códigos enviados antes ya no sirven.
heading-check-email = Revise su correo
heading-new-password = Elija una contraseña nueva
heading-create-login = Cree su acceso
heading-choose-password = Elija una contraseña
heading-registered = Registro completo
forgot-username-lead = Escriba la dirección de correo de su acceso al portal nuevo. Le enviaremos su usuario a esa dirección.
forgot-username-sent = Si un acceso al portal usa { $email }, le enviamos su usuario a esa dirección. Puede tardar unos minutos en llegar.
forgot-username-other-address = ¿Nada después de 15 minutos? Pruebe con otra dirección que haya usado, o llame a soporte para proveedores.
forgot-password-lead = Escriba su usuario. Enviaremos un código a la dirección de su acceso al portal para que pueda elegir una contraseña nueva.
forgot-password-username-help = ¿También olvidó su usuario?
forgot-password-code-lead = Si ese usuario tiene acceso al portal, enviamos un código de 6 dígitos a su dirección de correo. Si no llega, revise la carpeta de correo no deseado.
forgot-password-no-mail-address = El código va a la dirección de correo verificada al crear el acceso, no a una dirección escrita aquí.
register-lead = Escriba el código de registro que le dimos y el número de identificación fiscal para el que se emitió.
register-no-code = Si no recibió un código o tiene problemas, lea la
register-code-lead = Enviamos un código de 6 dígitos a { $email }. Si no llega, revise la carpeta de correo no deseado.
create-login-lead = Elija el usuario con el que iniciará sesión y dé su propia dirección de correo (no una compartida): le enviamos un código y la usamos si olvida su usuario o su contraseña.
new-password-lead = Elija una contraseña nueva para su acceso. La anterior deja de funcionar y se cierran las sesiones abiertas con ella.
wizard-new-password-lead = Su contraseña anterior es correcta, pero no cumple las reglas de contraseñas del nuevo portal, y sería la contraseña con la que inicia sesión. Elija una contraseña nueva para su nuevo usuario. Su cuenta del portal anterior no cambia.
choose-password-lead = Elija la contraseña con la que iniciará sesión.
registered-start = Su acceso está listo. Inicie sesión con el usuario
registered-end = y la contraseña que acaba de elegir.
label-registration-code = Código de registro
label-new-password = Contraseña nueva
label-confirm-new-password = Confirme la contraseña nueva
label-confirm-password = Confirme la contraseña
hint-registration-code = 12 letras y dígitos, por ejemplo ABCD-EFGH-2345. Las mayúsculas y los guiones no importan.
hint-new-username = Sin espacios. Puede usar su dirección de correo.
hint-own-email = Su propia dirección, no una compartida.
hint-new-password = Al menos 8 caracteres; mejor 15 o más, por ejemplo varias palabras sin relación. Hasta 64, cualquier carácter, también espacios. Que no sea una contraseña común ni contenga su usuario.
button-save-password = Guardar contraseña
button-create-account = Crear acceso
error-new-password-empty = Escriba una contraseña.
error-new-password-short = La contraseña debe tener al menos 8 caracteres (mejor 15 o más).
error-new-password-long = La contraseña puede tener como máximo 64 caracteres.
error-new-password-common = Esa contraseña es demasiado común: está en las listas que los atacantes prueban primero. Elija otra, por ejemplo varias palabras sin relación.
error-new-password-username = La contraseña no debe contener su usuario.
error-confirm-password-empty = Escriba otra vez la contraseña para confirmarla.
error-confirm-password-different = Las dos contraseñas no son iguales. Escríbalas de nuevo.
error-registration-code-empty = Escriba su código de registro.
error-registration-code-format = Un código de registro tiene 12 letras y dígitos, por ejemplo ABCD-EFGH-2345.
error-registration-wrong = Ese código de registro no corresponde a ese número de identificación fiscal. Revise ambos e inténtelo de nuevo. Tras 5 intentos fallidos, un código se bloquea durante 15 minutos.
error-registration-used = Este código de registro ya se usó. Inicie sesión con el acceso creado con él, o pídanos un código nuevo.
error-registration-expired = Este código de registro venció. Pídanos uno nuevo.
error-registration-gone = Este código de registro se usó o venció antes de que terminara, así que no se creó ningún acceso. Pídanos un código nuevo.
error-username-taken = Ese usuario ya existe. Elija otro.
fault-open-flow = No podemos abrir esta página ahora. Inténtelo de nuevo en un minuto. Si sigue pasando, comuníquese con soporte y mencione la referencia { $reference }.

## Rechazos de solicitudes mal formadas o abusivas

refusal-back = Volver
refused-title-cross-site = Solicitud rechazada
refused-cross-site = No aceptamos solicitudes de otros sitios. No se cambió nada.
refused-title-form = No pudimos leer ese formulario
-refused-form-tail = No se guardó nada. Vuelva a la página y complete el formulario otra vez.
refused-form-too-large = El formulario enviado es mucho más grande de lo que pueden ser los nuestros. { -refused-form-tail }
refused-form-not-a-form = Lo que se envió no es uno de nuestros formularios. { -refused-form-tail }
refused-form-encoding = El formulario tenía caracteres que no pudimos leer. { -refused-form-tail }
refused-form-field-too-long = El campo "{ $field }" era más largo de lo que aceptamos ({ $max } caracteres como máximo). { -refused-form-tail }
refused-form-unknown-field = El formulario tenía un campo que no conocemos. { -refused-form-tail }
refused-form-repeated = El campo "{ $field }" se envió más de una vez. { -refused-form-tail }
refused-form-missing = Faltaba el campo "{ $field }". { -refused-form-tail }
refused-no-such-form = Ese formulario no existe. No se guardó nada.
refused-form-too-slow = El formulario tardó demasiado en llegar. No se guardó nada; envíelo de nuevo.
refused-title-host = Dirección equivocada
refused-host = Este sitio solo responde en su propia dirección. No se hizo nada.
refused-title-busy = Vuelva a intentarlo en un momento
refused-busy = El portal está muy ocupado en este momento, así que no se tomó su solicitud. Vuelva a intentarlo en un momento. No se cambió nada.
refused-title-rate = Espere unos minutos
refused-rate = { $minutes ->
    [one] Llegaron demasiados intentos desde su red en poco tiempo. Espere { $minutes } minuto y vuelva a intentarlo. No se cambió nada.
   *[other] Llegaron demasiados intentos desde su red en poco tiempo. Espere { $minutes } minutos y vuelva a intentarlo. No se cambió nada.
}
refused-title-fault = Algo falló de nuestro lado
refused-fault = No pudimos tomar su solicitud en este momento. Vuelva a intentarlo en unos minutos. Si sigue ocurriendo, comuníquese con soporte y dé la referencia { $reference }.

## Correo

mail-code-subject = Su código de verificación del Portal de Proveedores
mail-code-body =
    Su código de verificación del Portal de Proveedores es { $code }

    Escríbalo en la página Verificación del código de seguridad. Se puede usar una sola vez y vence en 10 minutos.

    Si usted no pidió este código, puede ignorar este correo: nadie puede usar sus cuentas solo con el código.
mail-username-subject = Su usuario del Portal de Proveedores
mail-username-body =
    Pidió el usuario de su acceso al Portal de Proveedores. Los accesos que usan esta dirección de correo son:

    { $list }
    Inicie sesión con él en la página de inicio de sesión del Portal de Proveedores. Si no lo pidió, puede ignorar este correo.
mail-password-changed-subject = La contraseña de su Portal de Proveedores cambió
mail-password-changed-body =
    La contraseña de su acceso { $username } al Portal de Proveedores cambió el { $when }, y se cerraron todas las sesiones abiertas con la contraseña anterior.

    Si no fue usted, abra este enlace dentro de 30 días para congelar el acceso de inmediato (se le pedirá que lo confirme) y llame a soporte para proveedores: nadie de la aseguradora le pedirá nunca su contraseña.
    { $link }
mail-merged-subject = Sus cuentas antiguas del portal ya están bajo un solo usuario
mail-merged-body =
    Estas cuentas antiguas del portal pasaron a un solo usuario del nuevo Portal de Proveedores el { $when }:

    { $list }
    Inicie sesión en el portal nuevo con el usuario de la primera cuenta y su contraseña.

    Si no fue usted, abra este enlace dentro de 30 días para congelar el acceso nuevo de inmediato (se le pedirá que lo confirme) y llame a soporte para proveedores: nadie de la aseguradora le pedirá nunca su contraseña.
    { $link }
mail-notice-subject = Su cuenta antigua del portal pasó al portal nuevo
mail-notice-body =
    La cuenta antigua del portal { $account } ({ $practice }) pasó al nuevo Portal de Proveedores el { $when }, junto con:

    { $list }
    Su usuario y contraseña antiguos ya no sirven para iniciar sesión.

    Si no fue usted, abra este enlace dentro de 30 días para congelar el acceso nuevo de inmediato (se le pedirá que lo confirme) y llame a soporte para proveedores.
    { $link }

## No fui yo

notme-heading = No fui yo
notme-lead = Está a punto de congelar el acceso { $username } del nuevo Portal de Proveedores. Hágalo si usted no pasó sus cuentas antiguas a este acceso o no cambió su contraseña. De inmediato:
notme-effect-sessions = se cierran todas las sesiones abiertas con él;
notme-effect-sign-in = nadie puede iniciar sesión con él, restablecer su contraseña ni añadirle una cuenta antigua;
notme-effect-support = el soporte para proveedores abre un caso: puede deshacer la consolidación, para que el titular de cada cuenta antigua la pase de nuevo con su usuario y contraseña antiguos, o levantar el congelamiento.
notme-button = Congelar el acceso
notme-cancel = Cancelar
notme-invalid = Este enlace no funciona: ya se usó, tiene más de 30 días o no lo envió el Portal de Proveedores. Si cree que otra persona pasó sus cuentas o cambió su contraseña, llame al soporte para proveedores.
notme-done-heading = El acceso está congelado
notme-done-lead = Ahora nadie puede iniciar sesión con este acceso, y se cerraron todas sus sesiones.
notme-done-next = Qué sigue: el soporte para proveedores revisa lo ocurrido (cuándo se pasaron las cuentas, desde dónde y qué pruebas se dieron). Le llamarán o le escribirán, y luego desharán la consolidación, para que cada cuenta antigua vuelva a su portal antiguo y su titular pueda pasarla de nuevo, o levantarán el congelamiento. También enviamos un correo a la dirección del acceso.
notme-done-reference = Su referencia de soporte: { $reference }. Indíquela cuando llame al soporte para proveedores.
notme-done-home = Ir a la página de inicio de sesión
error-sign-in-frozen = Este acceso está congelado tras un aviso de "No fui yo". Llame al soporte para proveedores con la referencia { $reference }.
mail-frozen-subject = Su acceso al Portal de Proveedores fue congelado
mail-frozen-body =
    El acceso { $username } al Portal de Proveedores fue congelado, porque alguien abrió el enlace "No fui yo" de uno de nuestros correos y lo confirmó. Nadie puede iniciar sesión con él hasta que el soporte para proveedores revise lo ocurrido.

    Su referencia de soporte: { $reference }. Si fue usted quien lo pidió, llame al soporte para proveedores e indique esta referencia.

## Guía rápida

help-title = Guía rápida
help-heading = Guía rápida: cómo pasar sus cuentas al portal nuevo
help-lead = Si tenía varias cuentas en los portales antiguos (una por número de identificación fiscal, consultorio o sistema), puede pasarlas todas a un solo usuario del portal nuevo. Lleva unos cinco minutos con la primera cuenta. Tenga a mano: el usuario y la contraseña de cada cuenta antigua, un número de identificación fiscal (TIN) con el que factura, la respuesta a su pregunta de seguridad (o su PIN) y su propia dirección de correo electrónico.
help-toc-label = Pasos de esta guía
help-picture-alt = La página { $page }, en un teléfono
help-start-heading = Inicio
help-start-text = En la página de inicio de sesión, busque la frase que empieza "Si ya tiene una cuenta con nosotros y es la primera vez que visita nuestro portal nuevo" y seleccione haga clic aquí para continuar.
help-lookup-heading = 1. Búsqueda de la cuenta
help-lookup-text = Escriba el usuario de una de sus cuentas antiguas y cualquier número de identificación fiscal con el que factura esa cuenta. Puede escribir el TIN con o sin guion (836576879 o 83-6576879). Seleccione Siguiente.
help-verify-heading = 2. Verificación de la cuenta
help-verify-text = La página muestra la pregunta de seguridad de la cuenta. Escriba la respuesta (no importan las mayúsculas) o, si lo prefiere, el PIN de la cuenta. Después de 5 intentos fallidos, este paso se bloquea durante 15 minutos. Si no se acepta la respuesta, seleccione Anterior y revise el usuario y el TIN.
help-email-heading = 3. Verificación del correo electrónico
help-email-text = Escriba su propia dirección de correo electrónico, no una compartida, en Correo electrónico y en Confirme el correo electrónico. Le enviamos un código de 6 dígitos y la usaremos más adelante si olvida su usuario o su contraseña.
help-code-heading = 4. Verificación del código de seguridad
help-code-text = Escriba el código de 6 dígitos del correo. Vale una sola vez, durante 10 minutos. Si no llega en unos minutos, revise la carpeta de correo no deseado y luego seleccione Pedir un código nuevo (puede pedir uno por minuto, hasta 5 por hora). Un código nuevo reemplaza al anterior. Para corregir la dirección, seleccione Anterior.
help-password-heading = 5. Verificar usuario y contraseña
help-password-text = Escriba el usuario y la contraseña de la misma cuenta antigua y seleccione Enviar. Después de 5 intentos fallidos, este paso se bloquea durante 15 minutos. Seleccione Mostrar contraseña para revisar lo que escribió. Si esa contraseña anterior es demasiado corta, demasiado común o contiene el usuario, se le pedirá que elija una contraseña nueva para su nuevo usuario (Elija una contraseña nueva), con las mismas reglas que el registro.
help-review-heading = Cuentas que se van a unir: Agregar otra cuenta o Terminar
help-review-text = Después de Enviar, la página muestra las cuentas agregadas hasta ahora. Seleccione Agregar otra cuenta para agregar la siguiente cuenta antigua: responde su pregunta de seguridad (o da su PIN) y escribe su usuario y contraseña; su correo ya está verificado, así que esos pasos se saltan. Cuando la lista esté completa, seleccione Terminar: todo se une de una vez. No se une nada antes de Terminar.
help-done-heading = Gracias
help-done-text = La página muestra las cuentas y los números de identificación fiscal (solo se ven los últimos cuatro dígitos) que ahora están bajo un solo usuario, y el usuario con el que debe iniciar sesión. Su contraseña es la de esa cuenta.
help-registration-heading = Registrarse con un código de registro
help-registration-text = Si es nuevo con nosotros, la aseguradora le da un código de registro para su TIN. Si no lo recibió o no funciona, comuníquese con soporte para proveedores.
help-registration-steps = En la página de inicio de sesión seleccione Registrarse. Escriba el código de registro y el número de identificación fiscal para el que se emitió (con o sin guion) y seleccione Siguiente. Luego elija su usuario y dé su propia dirección de correo; le enviamos un código de 6 dígitos para escribir en Verificación del código de seguridad. Por último, elija una contraseña: al menos 8 caracteres (mejor 15 o más), que no sea común ni contenga su usuario. Registro completo muestra el usuario con el que iniciará sesión.
help-registration-trouble = Un código sirve una vez, durante 30 días. Tras 5 intentos fallidos se bloquea durante 15 minutos. Si venció o ya se usó, la página lo dice: pida uno nuevo a soporte para proveedores.
help-forgot-username-text = Seleccione Olvidé mi usuario en la página de inicio de sesión y escriba la dirección de correo de su acceso. Si un acceso la usa, le enviamos su usuario a esa dirección. La página se ve igual en ambos casos, para que nadie pueda saber qué direcciones tienen acceso.
help-forgot-password-text = Seleccione Olvidé mi contraseña y escriba su usuario. Enviamos un código de 6 dígitos a la dirección de su acceso; escríbalo y luego elija una contraseña nueva. Se cierran las sesiones abiertas con la contraseña anterior y le avisamos por correo del cambio.
help-cancel-heading = Cancelar, Anterior y límites de tiempo
help-cancel-text = Cancelar detiene el proceso en cualquier momento y no cambia nada. Anterior vuelve un paso atrás y conserva lo que escribió (salvo contraseñas, respuestas y códigos). Por su seguridad, la configuración termina tras 15 minutos sin actividad o 60 minutos en total; no se cambia nada hasta el último paso.
help-faults-heading = Si algo falla de nuestro lado
help-faults-text = Si una página dice que algo falló de nuestro lado, lo que escribió antes se conserva: espere un minuto y vuelva a intentarlo. Si sigue ocurriendo, llame a soporte para proveedores y dé la referencia que muestra la página (por ejemplo A1B2C3D4); así podemos encontrar exactamente qué pasó.

## The operators' console (/ops)
ops-role-auditor = auditor
ops-role-support = soporte
ops-role-admin = administrador
ops-signin-heading = Consola de operadores: iniciar sesión
ops-signin-lead = Para los operadores de la aseguradora. Los proveedores inician sesión en la página principal del portal.
ops-signin-help = ¿Aún no tiene cuenta o perdió su aplicación de autenticación? Pida un enlace de alta a un administrador de la consola.
ops-label-code = Código de su aplicación de autenticación
ops-hint-code = Los 6 dígitos que muestra ahora su aplicación de autenticación. Cada código sirve una sola vez.
ops-button-sign-in = Iniciar sesión
ops-notice-signed-out = Ha cerrado la sesión de la consola.
ops-notice-enrolled = Su cuenta de la consola está lista. Inicie sesión con su nombre de usuario, su contraseña y un código de su aplicación de autenticación.
error-ops-sign-in = El nombre de usuario, la contraseña o el código no son correctos, o el código ya se usó. Revíselos e inténtelo de nuevo con un código nuevo. Tras 5 intentos fallidos, el inicio de sesión se bloquea durante 15 minutos.
error-ops-code-wrong = Ese código no es correcto. Compruebe que su aplicación de autenticación muestra "Provider Portal" e introduzca los 6 dígitos que muestra ahora.
ops-enrol-heading = Configure su cuenta de la consola
ops-enrol-invalid = Este enlace de alta no es válido: ya se usó, caducó (los enlaces sirven durante 24 horas) o no se copió entero. Pida uno nuevo a un administrador.
ops-enrol-lead = Está configurando la cuenta de la consola { $username } ({ $role }). Elija una contraseña y añada la cuenta a una aplicación de autenticación; para iniciar sesión se necesitan las dos.
ops-enrol-authenticator-heading = 1. Añada la cuenta a su aplicación de autenticación
ops-enrol-authenticator-text = En su aplicación de autenticación (por ejemplo Google Authenticator, Microsoft Authenticator o 1Password), añada una cuenta escaneando este código QR o escribiendo la clave de abajo. Solo se muestra hasta que termine.
ops-enrol-qr-label = Código QR para escanear con su aplicación de autenticación
ops-enrol-seed-label = O escriba esta clave:
ops-button-enrol = Terminar la configuración
ops-signed-in-as = Sesión iniciada en la consola como { $username } ({ $role }).
ops-nav-label = Consola
ops-progress-heading = Avance de la migración
ops-notice-not-allowed = Su rol no permite esa acción. Pídala a un administrador si la necesita.
ops-logins-created = Inicios de sesión nuevos creados: { $count }.
ops-sources-caption = Cuentas antiguas por portal antiguo
ops-col-source = Portal antiguo
ops-col-loaded = Cargadas
ops-col-consolidated = Consolidadas
ops-col-in-wizard = En un asistente ahora
ops-col-not-started = Sin empezar
ops-total = Todos los portales antiguos
ops-imports-heading = Importaciones
ops-imports-none = Aún no se ha hecho ninguna importación.
ops-col-when = Cuándo
ops-col-who = Hecha por
ops-col-run = Archivo y recuentos
ops-dry-run = (prueba)
ops-locked-heading = Bloqueos vigentes
ops-locked-none = No hay ningún bloqueo vigente.
ops-locked-caption = Bloqueos vigentes, primero los que terminan antes
ops-col-lock = Bloqueo
ops-col-whose = Cuenta
ops-col-ends = Termina
ops-col-action = Acción
ops-lock-answer = respuesta de seguridad o PIN
ops-lock-password = contraseña de la cuenta antigua
ops-lock-sign_in = inicio de sesión
ops-lock-registration = código de registro
ops-lock-operator = inicio de sesión en la consola
ops-label-reason = Motivo (obligatorio; queda en el registro de auditoría)
ops-button-unlock = Desbloquear
ops-notice-unlocked = Se levantó el bloqueo y se avisó al proveedor por correo donde tenemos su dirección.
ops-notice-unlock-gone = Ese bloqueo ya había terminado.
error-ops-reason-empty = Indique el motivo de esta acción.
mail-unlocked-subject = Su cuenta del Portal de Proveedores está desbloqueada
mail-unlocked-body =
    El soporte para proveedores levantó el bloqueo de su cuenta { $account } del Portal de Proveedores ({ $lock }) el { $when }. Ya puede volver a intentarlo.

    Si no lo pidió usted, llame a soporte para proveedores: nadie de la aseguradora le pedirá nunca su contraseña.
ops-audit-heading = Registro de auditoría
ops-label-from = Desde (fecha)
ops-label-to = Hasta (fecha)
ops-hint-date = Como AAAA-MM-DD, en UTC.
ops-hint-prefix = Basta con el principio.
ops-label-action = Acción
ops-label-outcome = Resultado
ops-label-account = Cuenta antigua (usuario)
ops-label-operator = Operador (usuario)
ops-label-address = Dirección
ops-button-search = Buscar
ops-button-export = Exportar CSV
ops-audit-none = Ningún evento coincide con esta búsqueda.
ops-audit-caption = Eventos, primero los más recientes (página { $page })
ops-col-times = Veces
ops-col-account-id = Id. de la cuenta antigua
ops-col-target = Objetivo
ops-col-reason = Motivo
ops-pager-label = Páginas de eventos
ops-newer = Eventos más recientes
ops-older = Eventos más antiguos
error-ops-date = Introduzca la fecha como AAAA-MM-DD, por ejemplo 2026-11-30.
ops-find-heading = Buscar una cuenta
ops-label-find = Usuario o número de identificación fiscal (TIN)
ops-hint-find = El usuario de una cuenta antigua, el de un acceso nuevo, o un TIN (con o sin guion).
ops-button-find = Buscar
ops-find-none = Ninguna cuenta antigua ni acceso coincide.
ops-old-account-heading = Cuenta antigua { $username }
ops-login-heading = Acceso al portal nuevo { $username }
ops-fact-practice = Consulta
ops-fact-role = Función
ops-fact-tins = TIN
ops-fact-status = Estado
ops-fact-email = Correo electrónico
ops-fact-created = Creado
ops-fact-sessions = Sesiones activas ahora
ops-status-not-started = Sin empezar
ops-status-in-flow = En un { $flow } en el paso { $step } (visto por última vez el { $seen })
ops-status-consolidated = Consolidada en el acceso { $login } el { $on }
ops-trail-caption = Su registro de auditoría, primero lo más reciente
ops-button-end-sessions = Cerrar todas las sesiones
ops-notice-sessions-ended = Se cerraron todas las sesiones de ese acceso.
ops-find-for-tin = Resultados para el TIN { $tin }.
ops-stuck-heading = Detenidos
ops-stuck-lead = Asistentes y procesos de recuperación inactivos en un paso durante { $minutes } minutos o más. Un proceso termina solo tras 15 minutos sin actividad.
ops-label-minutes = Inactivos al menos (minutos)
ops-hint-minutes = De 1 a 60.
ops-button-show = Mostrar
ops-stuck-none = Ningún proceso lleva tanto tiempo inactivo.
ops-stuck-groups-caption = Procesos inactivos por paso
ops-stuck-flows-caption = Los procesos inactivos desde hace más tiempo (como máximo 100)
ops-col-flow = Proceso
ops-col-step = Paso
ops-col-flows = Procesos
ops-col-longest = Mayor inactividad (min)
ops-col-shortest = Menor inactividad (min)
ops-col-idle = Inactivo (min)
ops-col-age = Desde el inicio (min)
ops-col-account = Cuenta antigua
ops-cases-heading = Casos
ops-cases-lead = Avisos de "No fui yo". Cada uno congeló su acceso de inmediato: se cerraron sus sesiones, y nadie puede iniciar sesión con él, restablecer su contraseña ni añadirle cuentas. Decida cada uno después de comprobarlo con las personas afectadas, según el procedimiento propio de la aseguradora. Deshacer la consolidación (dentro de los 30 días): cada cuenta antigua del acceso vuelve a "no consolidada", para que su titular la pase de nuevo con su usuario y contraseña antiguos, y el acceso se desactiva (se conserva, con su registro). O levantar el congelamiento: el acceso vuelve a funcionar. Cualquiera de las dos se notifica por correo a las direcciones afectadas.
ops-cases-none = No se ha recibido ningún aviso.
ops-case-heading = Caso { $reference }: acceso { $username }
ops-case-status = Estado
ops-case-open = Abierto: el acceso está congelado
ops-case-undone = Consolidación deshecha ({ $when })
ops-case-lifted = Congelamiento levantado ({ $when })
ops-case-reported = Avisado
ops-case-reported-at = { $when }, desde { $address }
ops-case-email = Dirección del acceso
ops-case-accounts = Cuentas antiguas bajo él
ops-case-no-accounts = Ninguna ahora
ops-case-trail = El registro de las cuentas (Buscar una cuenta)
ops-case-trail-caption = Cómo se consolidó: cada paso de los asistentes, primero lo más reciente (cuándo, qué paso y su resultado, desde qué dirección)
ops-button-undo = Deshacer la consolidación
ops-button-lift = Levantar el congelamiento
ops-notice-case-undone = La consolidación está deshecha: sus cuentas antiguas se pueden pasar de nuevo, y el acceso está desactivado. Se está enviando correo a las direcciones afectadas.
ops-notice-case-lifted = El congelamiento está levantado: el acceso vuelve a funcionar. Se está enviando correo a su dirección.
ops-notice-case-decided = Ese caso ya estaba decidido.
ops-notice-case-too-late = No se deshizo: la consolidación tiene más de 30 días. Levante el congelamiento o trate las cuentas una por una.
ops-notice-case-gone = No existe ese caso.
mail-undone-subject = Se deshizo su consolidación en el Portal de Proveedores
mail-undone-body =
    Tras un aviso de "No fui yo", el soporte para proveedores deshizo el { $when } la consolidación en el acceso { $username } del Portal de Proveedores, que ya no funciona. Estas cuentas antiguas del portal vuelven a estar como antes:

    { $list }
    Sus titulares pueden pasarlas de nuevo al portal nuevo con el asistente de la guía rápida, con el usuario y la contraseña antiguos de cada cuenta.
mail-lifted-subject = Su acceso al Portal de Proveedores vuelve a funcionar
mail-lifted-body =
    Tras un aviso de "No fui yo", el soporte para proveedores levantó el { $when } el congelamiento del acceso { $username } del Portal de Proveedores. Vuelve a iniciar sesión con su contraseña.
ops-outbox-heading = Bandeja de salida
ops-outbox-lead = Cada correo que envía el portal se escribe primero aquí, junto con el paso que lo causa, y se envía desde aquí; un correo que el servidor de correo no acepta se vuelve a intentar (a los 30 segundos, y luego cada vez con menos frecuencia, como mucho cada 5 minutos) durante 24 horas. Se muestran: los correos en espera o en reintento, y los que fallaron definitivamente en los últimos { $days } días. El texto de un correo nunca se muestra: puede contener un código.
ops-outbox-none = No hay correos en espera, y ninguno falló definitivamente en los últimos { $days } días.
ops-outbox-caption = Correos en espera, en reintento o fallidos definitivamente (los 200 más recientes)
ops-outbox-queued = En espera (próximo intento { $when })
ops-outbox-retrying = En reintento (próximo intento { $when })
ops-outbox-failed = Falló definitivamente ({ $when })
ops-col-written = Escrito
ops-col-mail = Correo
ops-col-to = Para
ops-col-subject = Asunto
ops-col-status = Estado
ops-col-tries = Intentos
ops-col-last-error = Último fallo
ops-per-day-heading = Consolidaciones por día, últimos 30 días
ops-per-day-total = Cuentas antiguas consolidadas en los últimos 30 días: { $count }.
ops-col-day = Día (UTC)
verify-no-answer-heading = ¿No puede responder la pregunta?
verify-no-answer-text = Si no sabe ni la respuesta ni el PIN, llame al soporte para proveedores. Después de comprobar su identidad, le pueden dar un código de soporte (con este aspecto: ABCDE-23456). Escríbalo en el campo de arriba en lugar de la respuesta. Sirve una sola vez, dentro de 72 horas.
ops-fact-support-code = Código de soporte
ops-support-code-none = Ninguno vigente
ops-fact-campaign-mail = Correo de campañas
ops-campaign-mail-open = Las campañas pueden escribir a su dirección
ops-campaign-mail-no-address = No tiene dirección: las campañas la pasan por alto
ops-campaign-mail-unsubscribed = Su dirección se dio de baja el { $since }: ninguna campaña le escribe
ops-campaign-mail-bouncing = Su dirección rebota (desde el { $since }): ninguna campaña le escribe
ops-support-code-live = { $tries ->
    [one] Vigente hasta { $until }; queda { $tries } intento
   *[other] Vigente hasta { $until }; quedan { $tries } intentos
}
ops-hint-support-code = Solo después de comprobar la identidad de quien llama según el procedimiento de la aseguradora. El código sirve una vez, durante 72 horas, en Verificación de la cuenta; un código nuevo anula el anterior.
ops-button-support-code = Emitir un código de soporte
ops-notice-support-code-consolidated = Esta cuenta antigua ya está unificada: no necesita un código de soporte.
ops-shown-heading = Código mostrado una vez
ops-shown-support-lead = Lea este código de soporte al proveedor de la cuenta antigua { $account }. Se muestra solo ahora: no se guarda y esta página no lo volverá a mostrar.
ops-shown-support-use = El proveedor lo escribe en Verificación de la cuenta, en lugar de la respuesta o el PIN. Sirve una vez, hasta { $until }; cinco intentos fallidos lo anulan. Emitir un código nuevo anula este.
ops-shown-back = Volver a { $account }
ops-shown-gone = No hay nada que mostrar. Un código se muestra una vez, en esta página, justo después de emitirse. Si se perdió, emita uno nuevo: eso anula el anterior.
ops-codes-heading = Códigos de registro
ops-codes-issue-heading = Emitir un código de registro
ops-hint-code-tin = El TIN con el que se registra la consulta. Si el formulario se rechaza, no se conserva en esta página.
ops-hint-code-role = Administrador de la consulta si se deja vacío.
ops-label-days = Válido durante (días)
ops-hint-days = De 1 a 365; 30 si se deja vacío.
ops-button-issue-code = Emitir el código
ops-codes-list-heading = Los códigos más recientes
ops-codes-none = No se ha emitido ningún código de registro.
ops-codes-caption = Códigos de registro, los más recientes primero (como máximo 200)
ops-col-expires = Vence
ops-code-status-live = Vigente
ops-code-status-used = Usado el { $since }
ops-code-status-expired = Vencido
ops-code-status-revoked = Revocado el { $since }
ops-code-status-locked = Bloqueado hasta { $since } (5 TIN incorrectos)
ops-button-revoke = Revocar
ops-notice-revoked = El código está revocado: ya no sirve.
ops-notice-revoke-gone = Ese código ya se usó, se revocó o venció.
error-ops-practice = Escriba el nombre de la consulta (como máximo 200 caracteres).
error-ops-role = Escriba una función de como máximo 200 caracteres, o deje el campo vacío.
error-ops-days = Escriba un número de días de 1 a 365, o deje el campo vacío.
ops-shown-registration-lead = Entregue este código de registro a la consulta { $account }. Se muestra solo ahora: no se guarda y esta página no lo volverá a mostrar.
ops-shown-registration-use = El proveedor lo escribe en Registrarse junto con el TIN. Sirve una vez, hasta { $until }; cinco TIN incorrectos lo bloquean durante 15 minutos. Puede revocarlo en Códigos de registro.
ops-shown-to-codes = Volver a Códigos de registro
ops-operators-heading = Operadores
ops-operators-add-heading = Agregar un operador
ops-label-role = Función
ops-button-add-operator = Agregar el operador
ops-operators-caption = Operadores, por usuario
ops-col-last-seen = Última actividad
ops-never = Nunca
ops-operator-you = Usted (otro administrador puede cambiar su acceso)
ops-operator-status-enrolled = Inscrito
ops-operator-status-awaiting = Enlace de inscripción enviado, aún sin usar
ops-operator-status-link-expired = El enlace de inscripción venció (use Restablecer TOTP para obtener otro)
ops-operator-status-disabled = Desactivado
ops-button-disable = Desactivar
ops-button-enable = Activar
ops-button-reset-totp = Restablecer TOTP
ops-notice-operator-disabled = El operador está desactivado: se cerraron todas sus sesiones y no puede iniciar sesión.
ops-notice-operator-enabled = El operador está activado de nuevo.
ops-notice-operator-unchanged = No cambió nada: el operador ya estaba así.
ops-notice-operator-not-oneself = No puede desactivar ni restablecer su propio acceso; otro administrador sí puede.
ops-notice-operator-operator-gone = Ese operador no existe.
error-ops-role-choose = Elija una función: admin, support o auditor.
error-ops-operator-taken = Ya hay un operador con este usuario.
ops-shown-enrol-lead = El enlace de inscripción de { $account }. Entrégueselo al operador en persona o por un medio de confianza. Se muestra solo ahora: no se guarda y esta página no lo volverá a mostrar.
ops-shown-enrol-use = Sirve una vez, hasta { $until }: allí el operador configura una aplicación de autenticación y una contraseña. Hasta entonces no puede iniciar sesión.
ops-shown-to-operators = Volver a Operadores
ops-funnel-heading = Embudo del asistente
ops-funnel-lead = { $count ->
    [one] { $count } asistente iniciado del { $from } al { $to } (UTC). Para cada paso: cuántos asistentes llegaron, cuántos no pasaron de allí (siguen allí o lo dejaron) y la mediana del tiempo que pasaron allí los que siguieron.
   *[other] { $count } asistentes iniciados del { $from } al { $to } (UTC). Para cada paso: cuántos asistentes llegaron, cuántos no pasaron de allí (siguen allí o lo dejaron) y la mediana del tiempo que pasaron allí los que siguieron.
}
ops-funnel-caption = Los pasos del asistente, en orden
ops-funnel-from-links = Iniciados desde el enlace de una campaña: { $count }. Sus cuentas pasadas desde entonces: { $moved }.
ops-col-reached = Llegaron
ops-col-stopped = No pasaron de allí
ops-col-median = Mediana del tiempo allí
ops-secs = { $n } s
ops-min-secs = { $m } min { $s } s
ops-hours-min = { $h } h { $m } min
ops-sign-in-first = Inicie sesión en la consola para ver esta página.
ops-per-day-none = No se ha consolidado ninguna cuenta antigua en los últimos 30 días, así que aún no hay gráfico que mostrar.
ops-trail-none = Su registro de auditoría está vacío: aún no se ha registrado nada de esta cuenta.
ops-case-trail-none = No consta ningún paso de un asistente para esta consolidación.

## Inicio de sesión en dos pasos (Inicio de sesión y seguridad)
ops-lock-second_step = segundo paso del inicio de sesión
protect-heading = Proteja su nuevo acceso
protect-offer-heading = Añada un segundo paso a su acceso
protect-text = Su acceso abre todas las cuentas de su consultorio. Añada un segundo paso, para que una contraseña robada no baste para abrirlo: después de la contraseña, escribirá un código de una aplicación de su teléfono.
protect-app-text = Una aplicación de autenticación (como Google Authenticator, Microsoft Authenticator o 1Password) muestra un código nuevo de 6 dígitos cada 30 segundos. También recibirá diez códigos de respaldo, para un día sin su teléfono.
protect-not-now = Ahora no: ir a Mis cuentas
protect-required = Su organización exige un segundo paso: añada uno para seguir a Mis cuentas.
button-set-up-app = Configurar una aplicación de autenticación
app-heading = Configurar una aplicación de autenticación
app-step-scan = Abra su aplicación de autenticación, elija añadir una cuenta y escanee este código QR.
app-qr-label = Código QR de la clave de su acceso, para su aplicación de autenticación
app-step-key = ¿No puede escanearlo? Escriba esta clave en la aplicación:
app-step-code = Escriba el código de 6 dígitos que la aplicación muestra ahora para Provider Portal.
label-method-name = Nombre de esta aplicación
hint-method-name = Para distinguir sus dispositivos, por ejemplo "Teléfono del trabajo".
label-app-code = Código de la aplicación
button-turn-on = Activar
link-back-security = Volver a Inicio de sesión y seguridad
error-app-code = Ese código no es correcto. Escriba el código de 6 dígitos que la aplicación muestra ahora; si sigue fallando, compruebe que la hora de su teléfono se ajuste automáticamente.
codes-heading = Sus códigos de respaldo
codes-text = Cada uno de estos códigos abre su acceso una vez, en lugar de un código de la aplicación. Imprímalos o anótelos, y guárdelos donde guarda otros papeles importantes.
codes-once = Se muestran solo esta vez. Si los pierde, cree otros en Inicio de sesión y seguridad: los anteriores dejarán de valer.
button-codes-kept = Ya los guardé: ir a Mis cuentas
codes-gone = Los códigos de respaldo se muestran una sola vez, al crearlos, y no se guardan para mostrarlos de nuevo. Puede crear otros en Inicio de sesión y seguridad.
security-heading = Inicio de sesión y seguridad
security-methods-heading = Segundo paso
security-methods-caption = Sus segundos pasos
security-col-name = Nombre
security-col-kind = Tipo
security-col-added = Añadido
security-col-used = Último uso
security-kind-app = Aplicación de autenticación
security-never = Todavía no
security-none = Su acceso aún no tiene segundo paso: basta la contraseña para abrirlo.
security-codes-heading = Códigos de respaldo
security-codes-left = Le quedan { $left } de 10 códigos de respaldo.
button-new-codes = Crear códigos de respaldo nuevos
security-rename-heading = Cambiar el nombre de un segundo paso
label-method = Segundo paso
button-rename = Cambiar nombre
security-remove-heading = Quitar un segundo paso
security-remove-text = Confirme primero su contraseña y un código. Se cerrará la sesión en todos los demás navegadores de su acceso; quitar el último también anula sus códigos de respaldo.
button-remove = Quitar
notice-app-added = Se añadió su aplicación de autenticación.
notice-renamed = Se cambió el nombre.
notice-removed = Se quitó el segundo paso y se cerraron sus otras sesiones.
notice-backup-codes-low = Inició sesión con un código de respaldo. Le quedan pocos: cree otros abajo.
error-second-step = Ese código no es correcto. Tras cinco códigos incorrectos, el segundo paso se bloquea durante 15 minutos.
error-method = Elija uno de sus segundos pasos.
second-step-heading = Confirme que es usted
second-step-text = Su contraseña es correcta. Ahora escriba el código de 6 dígitos que su aplicación de autenticación muestra para Provider Portal, o uno de sus códigos de respaldo.
label-second-step-code = Código de la aplicación, o un código de respaldo
hint-second-step-code = 6 dígitos de la aplicación, o un código de respaldo como ABCDE-FGHJK.
button-continue = Continuar
second-step-lost = ¿Perdió su teléfono y sus códigos de respaldo? Llame a soporte para proveedores: tras comprobar quién es usted, pueden restablecer su segundo paso, y lo configurará de nuevo en su próximo inicio de sesión.
second-step-other-login = Iniciar sesión con otro acceso
accounts-add-text-second-step = Para pasar otra cuenta antigua a este acceso, confirme primero su contraseña y un código de su aplicación.
mail-second-step-subject = Cambió el segundo paso de su acceso al Portal de Proveedores
mail-second-step-body =
    El segundo paso de su acceso { $username } al Portal de Proveedores cambió el { $when }: { $what }

    Si no fue usted, abra este enlace dentro de 30 días para congelar el acceso de inmediato (se le pedirá que lo confirme) y llame a soporte para proveedores: nadie de la aseguradora le pedirá nunca un código.
    { $link }
mail-second-step-app-added = se añadió una aplicación de autenticación.
mail-second-step-codes = se crearon códigos de respaldo nuevos, y los anteriores dejaron de valer.
mail-second-step-removed = se quitó un segundo paso, y se cerraron las demás sesiones del acceso.
mail-second-step-reset = soporte para proveedores lo restableció a petición suya: se quitaron todos los segundos pasos y códigos de respaldo, y configurará uno de nuevo en su próximo inicio de sesión.
ops-fact-second-step = Segundo paso
ops-second-step-none = Ninguno: basta la contraseña para abrir este acceso.
ops-second-step-method = { $name } ({ $kind }), añadido el { $added }, último uso { $used }
ops-reset-heading = Restablecer el segundo paso
ops-reset-text = Solo después de que el procedimiento propio de la aseguradora haya comprobado la identidad del proveedor (nunca con un código o una contraseña que le lean). Se quitan todos los segundos pasos y códigos de respaldo del acceso y se cierran todas sus sesiones; se avisa a su dirección con un enlace "No fui yo", y el proveedor configura de nuevo un segundo paso en su próximo inicio de sesión.
ops-button-reset-second-step = Restablecer el segundo paso
ops-notice-second-step-reset = Se restableció el segundo paso del acceso y se avisó a su dirección.
help-protect-text = Después de Gracias (y después de Registrarse), y en Mis cuentas mientras no tenga uno, se le ofrece un segundo paso para su nuevo acceso: después de la contraseña, un código de 6 dígitos de una aplicación de autenticación de su teléfono. Elija Configurar una aplicación de autenticación, escanee el código QR con la aplicación (o escriba la clave que aparece debajo) y escriba el código que muestra la aplicación. Luego recibe diez códigos de respaldo: imprímalos o anótelos, cada uno vale una vez. Su organización puede exigir un segundo paso tras algunos inicios de sesión. Inicio de sesión y seguridad, enlazado desde Mis cuentas, muestra sus segundos pasos; quitar uno, o crear códigos de respaldo nuevos, pide primero su contraseña y un código, y le enviamos un correo por cada cambio. Si su navegador puede crear llaves de acceso, Proteja su nuevo acceso e Inicio de sesión y seguridad también ofrecen Añadir una llave de acceso: confirme su contraseña, ponga un nombre a la llave y pulse Crear llave de acceso; su navegador le pedirá su huella, su cara, el bloqueo de pantalla o su llave de seguridad.
help-second-step-text = Con un segundo paso, la página de inicio de sesión pide su contraseña y luego Confirme que es usted pide el código que muestra ahora su aplicación, o uno de sus códigos de respaldo. Cada código vale una vez. Tras 5 códigos incorrectos este paso se bloquea durante 15 minutos. ¿Perdió su teléfono y sus códigos de respaldo? Llame a soporte para proveedores: tras comprobar quién es usted, restablecen su segundo paso y usted lo configura de nuevo en su próximo inicio de sesión. Con una llave de acceso, pulse Iniciar sesión con una llave de acceso en la página de inicio de sesión (sin usuario ni contraseña; su navegador también puede ofrecerla en el campo Usuario), o pulse Usar su llave de acceso en Confirme que es usted.
ops-second-step-figures = Accesos sin segundo paso: { $none }.
ops-second-step-kind = Con { $kind }: { $count }.
label-remember-browser = Recordar este navegador durante 30 días (no en una computadora compartida)
security-browsers-heading = Navegadores recordados
security-browsers-none = No se recuerda ningún navegador: cada inicio de sesión pide el segundo paso.
security-col-browser = Navegador
security-col-since = Recordado desde
security-this-browser = { $browser } (este navegador)
button-forget = Olvidar
button-forget-browser = Olvidar { $browser }
button-forget-all = Olvidar todos los navegadores
notice-browsers-forgotten = Esos navegadores volverán a pedir el segundo paso.
label-new-name = Nombre nuevo

## Llaves de acceso (issue 29, paso 2)
passkey-add-heading = Añadir una llave de acceso
passkey-text = Una llave de acceso le permite iniciar sesión con su huella, su cara, el bloqueo de pantalla de su dispositivo o una llave de seguridad: sin códigos que escribir, y tampoco contraseña. No se puede suplantar con un sitio falso, porque solo funciona en este sitio. Confirme primero su contraseña.
button-add-passkey = Añadir una llave de acceso
passkey-heading = Cree su llave de acceso
passkey-step-text = Ponga un nombre a la llave de acceso para distinguirla más adelante y pulse Crear llave de acceso. Su navegador le pedirá que confirme con su huella, su cara, el bloqueo de pantalla o su llave de seguridad.
hint-passkey-name = Por ejemplo "Portátil de la oficina" o "Mi teléfono".
passkey-default-name = Llave de acceso
button-create-passkey = Crear llave de acceso
passkey-needs-script = Para crear una llave de acceso, su navegador necesita JavaScript. Puede configurar una aplicación de autenticación en su lugar.
error-passkey-add = La llave de acceso no se creó o no se pudo comprobar. Inténtelo de nuevo o configure una aplicación de autenticación en su lugar.
error-passkey-registered = Esa llave de acceso ya está añadida a un inicio de sesión.
error-passkey = No se pudo comprobar esa llave de acceso. Inténtelo de nuevo o use su nombre de usuario y su contraseña.
button-passkey-sign-in = Iniciar sesión con una llave de acceso
button-use-passkey = Usar su llave de acceso
second-step-or-code = O escriba un código de su aplicación de autenticación, o uno de sus códigos de respaldo:
protect-app-heading = Aplicación de autenticación
security-kind-passkey = Llave de acceso
notice-passkey-added = Se añadió su llave de acceso.
mail-second-step-passkey-added = se añadió una llave de acceso.
error-passkey-second = No se pudo comprobar esa llave de acceso. Inténtelo de nuevo o escriba un código abajo.
label-passkey-name = Nombre de esta llave de acceso
hint-step-up-passkey = O deje el código vacío: su navegador le pedirá su llave de acceso.

## Fechas de cierre de los portales antiguos (issue 32)

day-long = { $day } de { $month } de { $year }
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
closing-notices-label = Portales antiguos que cierran pronto
closing-notice = Su cuenta antigua de { $portal } funciona hasta el { $date }:
closing-notice-link = pásela ahora
notice-portal-closed = El portal antiguo { $portal } cerró el { $date } y sus cuentas ya no se pueden pasar al portal nuevo. Llame a soporte para proveedores.
ops-closing-heading = Fechas de cierre
ops-closing-lead = El último día en que funciona cada portal antiguo. La página de inicio de sesión y la guía rápida nombran los portales que cierran en los próximos 90 días.
ops-closing-caption = Fechas de cierre por portal antiguo
ops-closing-set-heading = Fijar una fecha de cierre
ops-label-source = Portal antiguo
ops-label-portal-name = Nombre con el que lo conocen los proveedores
ops-hint-portal-name = Se muestra en la página de inicio de sesión: "Su cuenta antigua de … funciona hasta el …". Déjelo vacío para usar el nombre propio del portal antiguo.
ops-label-closes-on = Último día en que funciona
ops-hint-closes-on = Como AAAA-MM-DD, por ejemplo 2027-03-31.
ops-label-after-closing = Después de ese día
ops-after-lookup = Los proveedores aún pueden pasar sus cuentas con el asistente
ops-after-refuse = El asistente ya no pasa sus cuentas
ops-button-set-closing = Guardar la fecha de cierre
ops-button-remove-closing = Quitar la fecha
ops-col-name-shown = Se muestra como
ops-col-closes = Último día
ops-col-not-moved = Aún sin pasar
ops-col-after = Después de ese día
ops-closing-none = Ningún portal antiguo tiene cuentas todavía.
ops-closing-no-date = Sin fecha
ops-closing-days-left = { $days ->
    [one] { $date } (queda 1 día)
   *[other] { $date } (quedan { $days } días)
}
ops-closing-today = { $date } (hoy es el último día)
ops-closing-closed = { $date } (cerrado)
ops-notice-closing-set = La fecha de cierre quedó guardada.
ops-notice-closing-removed = La fecha de cierre quedó quitada.
ops-notice-closing-gone = Ese portal antiguo no tenía fecha de cierre.
error-ops-source = Elija uno de los portales antiguos de la lista.
error-ops-portal-name = Escriba un nombre de 80 caracteres como máximo, o déjelo vacío.
error-ops-closes-on = Escriba el día como AAAA-MM-DD, por ejemplo 2027-03-31.
error-ops-after-closing = Elija qué pasa después de ese día.

## Campañas de invitación (issue 32)

campaign-subject = Pase sus cuentas de los portales antiguos al portal nuevo para proveedores
campaign-subject-reminder = Recordatorio: pase sus cuentas de los portales antiguos al portal nuevo para proveedores
campaign-greeting = Hola:
campaign-intro = Estamos reemplazando nuestros portales antiguos para proveedores por un portal nuevo. Las cuentas antiguas de abajo usan esta dirección; cada una pasa al portal nuevo en unos minutos. Abra el enlace de una cuenta, escriba su número de identificación fiscal (TIN) y responda su pregunta de seguridad o escriba su PIN.
campaign-reminder-intro = Un recordatorio: las cuentas antiguas de abajo, que usan esta dirección, todavía no pasaron al portal nuevo para proveedores. Cada una pasa en unos minutos: abra su enlace, escriba su número de identificación fiscal (TIN) y responda su pregunta de seguridad o escriba su PIN.
campaign-account-line = - { $username } ({ $practice }): { $link }
closing-notice-mail = Su cuenta antigua de { $portal } funciona hasta el { $date }.
campaign-how = La guía rápida muestra cada paso: { $guide }
campaign-never = Nunca le pediremos una contraseña, un PIN ni una respuesta por correo ni por teléfono.
campaign-unsubscribe = Para no recibir más estos correos: { $link }
unsubscribe-heading = Dejar de recibir invitaciones
unsubscribe-lead = No enviaremos más invitaciones ni recordatorios sobre el portal nuevo a { $address }.
unsubscribe-still = El correo que usted mismo pida (un código de verificación, una contraseña nueva) seguirá llegando.
unsubscribe-button = Darme de baja
unsubscribe-done = { $address } ya no recibe invitaciones ni recordatorios.
unsubscribe-to-sign-in = Ir a la página de inicio de sesión
unsubscribe-invalid = Este enlace no es nuestro, o se modificó en el camino. No se cambió nada.
error-campaign-name = Escriba un nombre de 100 caracteres como máximo.
error-campaign-statuses = Elija al menos un estado.
error-campaign-langs = Elija al menos un idioma.
error-campaign-rate = Escriba los correos por hora, de 1 a 1.000.000.
error-campaign-reminders = Escriba hasta 5 días, en orden creciente, de 1 a 365, por ejemplo 7, 21; o déjelo vacío.
error-campaign-imported-before = Escriba un día como AAAA-MM-DD, por ejemplo 2027-01-15, o déjelo vacío.
ops-campaigns-heading = Campañas
ops-campaigns-lead = Invitaciones y recordatorios a las direcciones de las cuentas antiguas, un correo por dirección, al ritmo que usted elija. No se envía nada a una dirección que se dio de baja o que rebota.
ops-campaigns-caption = Campañas, las más nuevas primero
ops-campaigns-none = Todavía no hay campañas.
ops-col-campaign = Campaña
ops-col-invited = Invitadas
ops-campaign-new-heading = Campaña nueva
ops-label-campaign-name = Nombre
ops-campaign-every-portal = Todos los portales antiguos
ops-label-statuses = Qué cuentas antiguas
ops-campaign-status-all = Todas las cuentas que aún no pasaron
ops-campaign-status-not_started = Sin empezar
ops-campaign-status-in_wizard = En un asistente ahora
ops-campaign-status-stuck = Detenidas (un asistente llegó a ellas antes)
ops-label-langs = Idiomas del correo
ops-campaign-langs-en-es = Inglés y español
ops-campaign-langs-en = Inglés
ops-campaign-langs-es = Español
ops-label-per-hour = Correos por hora
ops-hint-per-hour = De 1 a 1.000.000; primero los límites del propio servidor de correo.
ops-label-reminders = Recordatorios (días después de la invitación)
ops-hint-reminders = Por ejemplo 7, 21; solo a las direcciones que aún tienen una cuenta sin pasar. Déjelo vacío para ninguno.
ops-label-imported-before = Importadas antes del
ops-hint-imported-before = Solo las cuentas cargadas antes de este día, como AAAA-MM-DD. Déjelo vacío para cualquier día.
ops-campaign-imported-any = Cualquier día
ops-button-create-campaign = Crear el borrador
ops-campaign-heading = Campaña
ops-campaign-state-draft = Borrador
ops-campaign-state-running = Enviando
ops-campaign-state-paused = En pausa
ops-campaign-state-stopped = Detenida
ops-campaign-state-done = Terminada
ops-campaign-no-reminders = Ninguno
ops-campaign-reminder-days = { $days } días después de la invitación
ops-campaign-started = Empezó
ops-campaign-ended = Terminó
ops-campaign-reach = { $addresses ->
    [one] Escribe a 1 dirección
   *[other] Escribe a { $addresses } direcciones
} ahora ({ $accounts ->
    [one] 1 cuenta antigua
   *[other] { $accounts } cuentas antiguas
}).
ops-button-campaign-start = Empezar
ops-button-campaign-pause = Pausar
ops-button-campaign-resume = Reanudar
ops-button-campaign-stop = Detener
ops-campaign-figures-heading = Cifras por envío
ops-campaign-figures-none = Todavía no se envió nada.
ops-col-wave = Envío
ops-col-sent = Enviados
ops-col-bounced = Rebotados
ops-col-unsubscribed = Bajas
ops-col-begun = Asistentes empezados desde el enlace
ops-col-moved-7 = Pasadas en 7 días
ops-col-moved-30 = Pasadas en 30 días
ops-campaign-wave-invitation = Invitación
ops-campaign-wave-reminder = Recordatorio { $n }
ops-campaign-preview-heading = El correo como lo leen los proveedores
ops-campaign-preview-text = Como lo leería la primera dirección a la que escribe. Cada enlace se crea al escribir el correo, y abre Búsqueda de la cuenta con el usuario de esa cuenta ya escrito.
ops-campaign-preview-subject = Asunto: { $subject }
ops-campaign-preview-none = Ahora no escribe a ninguna dirección.
ops-campaign-test-heading = Enviar una prueba
ops-campaign-test-text = El texto de la invitación, con una cuenta inventada cuyo enlace no lleva a ninguna parte, a la dirección que escriba (la suya). El asunto dice que es una prueba.
ops-label-test-address = Su dirección de correo
ops-button-campaign-test = Enviar una prueba
ops-notice-created = La campaña se creó como borrador. Revise el correo de abajo y luego empiécela.
ops-notice-start = La campaña está enviando.
ops-notice-pause = La campaña está en pausa: no se envía nada más hasta reanudarla.
ops-notice-resume = La campaña vuelve a enviar.
ops-notice-stop = La campaña está detenida.
ops-notice-test = La prueba va en camino.
ops-notice-unchanged = Esa campaña no puede hacer eso ahora (vea su estado).
ops-notice-campaign-gone = No existe esa campaña.
