# Provider Portal: every visible text in English.
#
# The headings, field labels and button names of the wizard and the sign-in
# page are those of the insurer's printed quick reference guide: keep them
# word for word. A new language is a copy of this file in locales/<tag>/ with
# every message translated (the unit tests check that no message is missing
# and that each uses the same placeholders).

language-name = English
site-name = Provider Portal
page-title = { $page } - Provider Portal
meta-description = Move your old provider portal accounts into one new portal login.
skip-link = Skip to main content
language-nav = Language
footer-guide = Quick guide
loading = Loading…
continuing-at = Continuing at
starting-at = Starting at

## Buttons and links named in the printed guide

button-next = Next
button-previous = Previous
button-cancel = Cancel
button-working = Working…
nav-offline = The Provider Portal could not be reached. Check your connection, then press the button again; what you typed is still here.
nav-retry = Your form will be sent again when the wait is over; you do not need to press anything.
button-submit = Submit
button-finish = Finish
button-add-another = Add another account
button-new-code = Request New Code
button-login = Login
button-go-to-sign-in = Go to sign in
button-sign-out = Sign out
button-add-old-account = Add an old account
link-forgot-username = Forgot Username
link-forgot-password = Forgot Password
link-register = Register
show-password = Show password
hide-password = Hide password

## Field labels and hints

label-username = Username
label-password = Password
label-tin = Tax ID Number
label-email = Email
label-verify-email = Verify Email
label-code = Verification Code
hint-tin = 9 digits, with or without the dash: 836576879 or 83-6576879
hint-answer = Type the answer, or the account's PIN instead. Capital letters don't matter. After 5 wrong tries this step is locked for 15 minutes.
hint-verify-email = Type the same address again.
hint-code = The 6 digits from the email, like 123456. Spaces are fine.
hint-password = After 5 wrong tries this step is locked for 15 minutes.

## Security questions (as stored with the old accounts)

question-whats-your-maiden-name = What's your maiden name?
question-what-city-were-you-born-in = What city were you born in?
question-what-was-the-name-of-your-first-pet = What was the name of your first pet?
question-what-is-your-mothers-maiden-name = What is your mother's maiden name?
question-what-was-the-make-of-your-first-car = What was the make of your first car?
question-what-street-did-you-grow-up-on = What street did you grow up on?

## Sign-in page

signin-heading = Sign in
signin-first-visit = If you have an account with us and it's your first time visiting our new portal, please
signin-first-visit-link = click here to continue
signin-new = If you're new, and have a registration code, click Register below to begin.
signin-trouble = If you haven't received a code or are having trouble,
signin-trouble-link = view our quick guide
signin-trouble-end = for more information.
notice-cancelled = You cancelled the account set-up. Nothing was changed.
notice-signed-out = You are signed out.
notice-fault = Something went wrong on our side. Please try again in a minute. If it keeps happening, contact support and quote reference { $reference }.
error-sign-in = The username or password is not right. Check both and try again. After 5 wrong tries, sign-in is locked for 15 minutes.
error-busy = Several checks of these details are running at the same time. Nothing was counted against you: please wait a few seconds and try again.

## The wizard

step-lookup = Account Lookup
step-verify = Account Verification
step-email = Email Address Verification
step-code = Security Code Verification
step-password = Verify Username and Password
step-review = Accounts to consolidate
step-done = Thank You
steps-label = Progress
steps-count = Step { $n } of { $count }
steps-done = { $step } (completed)
steps-current = { $step } (current step)
steps-todo = { $step } (not started)
help-link-lead = Having trouble?
help-link = View our quick guide.
error-summary-title = There is a problem
error-prefix = Error:

lookup-lead = We need to look up your information before you begin. Enter your username, and any Tax ID number associated with your account, then click Next to continue.
lookup-already = Already in your list: { $names }.
verify-lead = Please enter the answer to your security question or your pin below to verify your account.
email-lead = Please enter your own email address and not a shared one. We will email you a code for verification. We will also use this email address in case you forget your username or need to reset your password.
code-lead-start = We emailed a 6-digit code to
code-lead-end = . It can take a minute to arrive: if you don't see it, check your spam or junk folder. The code works for 10 minutes.
countdown-now = Didn't get it? You can request a new code now.
countdown-wait = { $seconds ->
    [one] Didn't get it? You can request a new code in { $seconds } second.
   *[other] Didn't get it? You can request a new code in { $seconds } seconds.
}
code-no-mail-heading = No email from us?
code-no-mail-spam = Look in your spam or junk folder, and search your mail for "Provider Portal".
code-no-mail-address = Check the address above. If it is wrong, select Previous and correct it.
code-no-mail-wait = Mail can take a few minutes. Then select Request New Code: only the newest code works.
code-no-mail-office = Some offices block mail from outside. Ask whoever runs your office's email to let mail from the Provider Portal through.
code-no-mail-support = Still nothing after 15 minutes? Call provider support: they can help, and will never ask for your password.
password-lead = Enter username and password for your existing account.
review-lead = These old accounts are ready to be moved into one login. Nothing has been merged yet.
review-more = Do you have another old account? Add it now, so that all your Tax ID Numbers are under one login. When the list is complete, select Finish.
done-start = Your accounts are now under one login. Sign in to the new portal with the username
done-end = and the password of that account.
done-list-heading = Accounts under this login
accounts-caption = Accounts
col-practice = Practice
col-old-username = Old username
col-role = Role
col-tins = Tax ID Numbers

notice-out-of-order = That page was out of date, so nothing was changed. You can carry on from here.
notice-expired = For your security, the account set-up ends after 15 minutes without activity or 60 minutes in all. Nothing was changed: please start again.
notice-fault-step = Something went wrong on our side and that step was not completed. What you entered before is kept: please try again in a minute. If it keeps happening, contact support and quote reference { $reference }.
fault-open-wizard = We cannot open your account set-up right now. Please try again in a minute. If it keeps happening, contact support and quote reference { $reference }.
notice-already-consolidated = This account has already been moved to the new portal, so there is nothing more to do for it.
notice-already-consolidated-link = Sign in
notice-already-consolidated-end = with your new portal username and password.
notice-already-in-list = That account is already in your list. Look up another old account.
notice-new-code = We sent a new code to { $email }. Codes sent before it no longer work.

## Messages beside a field

error-username-empty = Enter your username.
error-username-long = Usernames are at most 254 characters long.
error-username-invisible = Usernames cannot contain invisible characters, such as zero-width spaces or direction marks.
error-username-mixed-script = Use the letters of one alphabet: a username that mixes alphabets (such as Latin and Cyrillic) can look like someone else's.
error-username-spaces = Usernames cannot contain spaces.
error-tin-empty = Enter a Tax ID Number.
error-tin-format = Enter a Tax ID Number of 9 digits, like 836576879 or 83-6576879.
error-answer-empty = Enter the answer to your security question, or your PIN.
error-answer-wrong = That answer or PIN does not match our records. Check the spelling and try again.
error-email-empty = Enter your email address.
error-email-format = Enter an email address in the right format, like name@example.com.
error-verify-email-empty = Enter your email address again to confirm it.
error-verify-email-different = The two email addresses are not the same. Check both and try again.
error-mail-fault = We could not send the email just now. Please try again in a few minutes. If this keeps happening, contact support and quote reference { $reference }.
error-code-empty = Enter the 6-digit code from the email.
error-code-format = The code is 6 digits, like 123456.
code-complete = All 6 digits are there.
error-code-too-soon = We sent a code less than a minute ago. You can ask for a new one in { $seconds } seconds.
error-code-hourly-limit = You have asked for 5 codes in the last hour, which is the most we send. Please try again later, or check your spam folder for the codes already sent.
error-code-daily-limit = We have already sent 10 codes for this address or account today, which is the most we send in a day. Please use a code we sent earlier, or try again tomorrow.
error-code-void = This code can no longer be used. Select Request New Code and we will email you a new one.
error-code-expired = This code has expired: codes work for 10 minutes. Select Request New Code and we will email you a new one.
error-code-used-up = That code is not right, and it has now been tried 5 times, so it no longer works. Select Request New Code and we will email you a new one.
error-code-wrong = { $left ->
    [one] That code is not right. Check the latest email from us and try again ({ $left } try left).
   *[other] That code is not right. Check the latest email from us and try again ({ $left } tries left).
}
error-password-empty = Enter the password of this account.
error-password-wrong = The username or password is not right. Check both and try again.
error-password-recheck = The password is not right. Check it and try again.
error-finish-lost-account = The account { $name } was moved to the new portal a moment ago by another sign-up, so it was taken off your list and nothing was merged. Select Finish to merge the other accounts.

## My accounts

accounts-heading = My accounts
accounts-signed-in-as = Signed in as
accounts-email = Email:
accounts-add-heading = Add another old account
accounts-add-text = To move a further old account under this login, confirm your password first.
fault-accounts = We cannot show your accounts right now. Please try again in a minute. If it keeps happening, contact support and quote reference { $reference }.

## Other pages

back-to-sign-in = Back to sign in
not-found-heading = Page not found
not-found-text = If you typed the web address, check it is correct.
not-found-link = Go to the sign-in page

## Forgot Username, Forgot Password, Register

notice-password-changed = Your password was changed, and every session signed in with the old one has ended. Sign in with your new password.
notice-flow-expired = For your security, this page ends after 15 minutes without activity or 60 minutes in all. Nothing was changed: please start again.
notice-new-flow-code = We sent a new code. Codes sent before it no longer work.
heading-check-email = Check Your Email
heading-new-password = Choose a New Password
heading-create-login = Create Your Login
heading-choose-password = Choose a Password
heading-registered = Registration Complete
forgot-username-lead = Enter the email address of your new portal login. We will email your username to it.
forgot-username-sent = If a portal login uses { $email }, we have emailed its username there. It can take a few minutes to arrive.
forgot-username-other-address = Nothing after 15 minutes? Try another address you may have used, or call provider support.
forgot-password-lead = Enter your username. We will email a code to the address of your portal login, so that you can choose a new password.
forgot-password-username-help = Forgot your username too?
forgot-password-code-lead = If that username has a portal login, we have emailed a 6-digit code to its email address. Check your spam folder if it does not arrive.
forgot-password-no-mail-address = The code goes to the email address verified when the login was set up, not to an address typed here.
register-lead = Enter the registration code we gave you and the Tax ID Number it was issued for.
register-no-code = If you haven't received a code or are having trouble, read the
register-code-lead = We sent a 6-digit code to { $email }. Check your spam folder if it does not arrive.
create-login-lead = Choose the username you will sign in with, and give your own email address (not a shared one): we send a code to it, and use it if you forget your username or password.
new-password-lead = Choose a new password for your login. Your old password stops working, and everyone signed in with it is signed out.
wizard-new-password-lead = Your old password is right, but it does not meet the rules for a password on the new portal, and it would become the password you sign in with. Choose a new password for your new login. Your old portal account is not changed.
choose-password-lead = Choose the password you will sign in with.
registered-start = Your login is ready. Sign in with the username
registered-end = and the password you just chose.
label-registration-code = Registration Code
label-new-password = New Password
label-confirm-new-password = Confirm New Password
label-confirm-password = Confirm Password
hint-registration-code = 12 letters and digits, like ABCD-EFGH-2345. Capital letters and dashes don't matter.
hint-new-username = No spaces. You can use your email address.
hint-own-email = Your own address, not a shared one.
hint-new-password = At least 8 characters; 15 or more is better, for example a few unrelated words. Up to 64, any characters, spaces too. Not a common password, and not your username.
button-save-password = Save Password
button-create-account = Create Account
error-new-password-empty = Enter a password.
error-new-password-short = The password must be at least 8 characters long (15 or more is better).
error-new-password-long = The password can be at most 64 characters long.
error-new-password-common = That password is too common: it is on lists that attackers try first. Choose another, for example a few unrelated words.
error-new-password-username = The password must not contain your username.
error-confirm-password-empty = Enter the password again to confirm it.
error-confirm-password-different = The two passwords are not the same. Type them again.
error-registration-code-empty = Enter your registration code.
error-registration-code-format = A registration code is 12 letters and digits, like ABCD-EFGH-2345.
error-registration-wrong = That registration code does not match that Tax ID Number. Check both and try again. After 5 wrong tries a code is locked for 15 minutes.
error-registration-used = This registration code has already been used. Sign in with the login made with it, or ask us for a new code.
error-registration-expired = This registration code has expired. Please ask us for a new one.
error-registration-gone = This registration code was used or expired before you finished, so no login was made. Please ask us for a new code.
error-username-taken = That username is already taken. Choose another.
fault-open-flow = We cannot open this page right now. Please try again in a minute. If it keeps happening, contact support and quote reference { $reference }.

## Refusals of malformed or abusive requests

refusal-back = Go back
refused-title-cross-site = Request refused
refused-cross-site = Requests from other sites are not accepted. Nothing was changed.
refused-title-form = We could not read that form
-refused-form-tail = Nothing was saved. Go back to the page and fill in the form again.
refused-form-too-large = The form sent was far larger than ours can be. { -refused-form-tail }
refused-form-not-a-form = What was sent is not one of our forms. { -refused-form-tail }
refused-form-encoding = The form held characters we could not read. { -refused-form-tail }
refused-form-field-too-long = The field "{ $field }" was longer than we accept ({ $max } characters at most). { -refused-form-tail }
refused-form-unknown-field = The form had a field we do not know. { -refused-form-tail }
refused-form-repeated = The field "{ $field }" was sent more than once. { -refused-form-tail }
refused-form-missing = The field "{ $field }" was missing. { -refused-form-tail }
refused-no-such-form = There is no such form. Nothing was saved.
refused-form-too-slow = The form took too long to arrive. Nothing was saved; please send it again.
refused-title-host = Wrong address
refused-host = This site answers only at its own address. Nothing was done.
refused-title-busy = Please try again in a moment
refused-busy = The portal is very busy right now, so your request was not taken. Please try again in a moment. Nothing was changed.
refused-title-rate = Please wait a few minutes
refused-rate = { $minutes ->
    [one] Too many attempts have come from your network in a short time. Please wait { $minutes } minute and try again. Nothing was changed.
   *[other] Too many attempts have come from your network in a short time. Please wait { $minutes } minutes and try again. Nothing was changed.
}
refused-title-fault = Something went wrong on our side
refused-fault = We could not take your request just now. Please try again in a few minutes. If this keeps happening, contact support and quote reference { $reference }.

## Mail

mail-code-subject = Your Provider Portal verification code
mail-code-body =
    Your Provider Portal verification code is { $code }

    Enter it on the Security Code Verification page. It can be used once and expires in 10 minutes.

    If you did not ask for this code, you can ignore this email: nobody can use your accounts with the code alone.
mail-username-subject = Your Provider Portal username
mail-username-body =
    You asked for the username of your Provider Portal login. The logins that use this email address are:

    { $list }
    Sign in with it on the Provider Portal's sign-in page. If you did not ask for this, you can ignore this email.
mail-password-changed-subject = Your Provider Portal password was changed
mail-password-changed-body =
    The password of your Provider Portal login { $username } was changed on { $when }, and every session signed in with the old password has ended.

    If this wasn't you, open this link within 30 days to freeze the login at once (you will be asked to confirm), then call provider support: nobody at the insurer will ever ask you for your password.
    { $link }
mail-merged-subject = Your old portal accounts are now under one login
mail-merged-body =
    These old portal accounts were moved into one login on the new Provider Portal on { $when }:

    { $list }
    Sign in to the new portal with the username of the first account and its password.

    If this wasn't you, open this link within 30 days to freeze the new login at once (you will be asked to confirm), then call provider support: nobody at the insurer will ever ask you for your password.
    { $link }
mail-notice-subject = Your old portal account was moved to the new portal
mail-notice-body =
    The old portal account { $account } ({ $practice }) was moved to the new Provider Portal on { $when }, together with:

    { $list }
    Its old username and password no longer sign in.

    If this wasn't you, open this link within 30 days to freeze the new login at once (you will be asked to confirm), then call provider support.
    { $link }

## This wasn't me

notme-heading = This wasn't me
notme-lead = You are about to freeze the new Provider Portal login { $username }. Do this if you did not move your old portal accounts to it, or did not change its password. At once:
notme-effect-sessions = every session signed in with it ends;
notme-effect-sign-in = nobody can sign in with it, reset its password or add an old account to it;
notme-effect-support = provider support opens a case: they can undo the consolidation, so that each old account's owner can move it again with its old username and password, or lift the freeze.
notme-button = Freeze the login
notme-cancel = Cancel
notme-invalid = This link does not work: it was used already, it is more than 30 days old, or it was not sent by the Provider Portal. If you think someone else moved your accounts or changed your password, call provider support.
notme-done-heading = The login is frozen
notme-done-lead = Nobody can sign in with the login now, and every session of it has ended.
notme-done-next = What happens next: provider support looks at what happened (when the accounts were moved, from where, and which proofs were given). They will call or write to you, and then either undo the consolidation, so that each old account goes back to its old portal and its owner can move it again, or lift the freeze. We have also sent a mail to the login's address.
notme-done-reference = Your support reference: { $reference }. Give it when you call provider support.
notme-done-home = Go to the sign-in page
error-sign-in-frozen = This login is frozen after a "This wasn't me" report. Call provider support with the reference { $reference }.
mail-frozen-subject = Your Provider Portal login was frozen
mail-frozen-body =
    The Provider Portal login { $username } was frozen, because somebody opened the "This wasn't me" link of one of our mails and confirmed it. Nobody can sign in with it until provider support has looked at what happened.

    Your support reference: { $reference }. If it was you who asked for this, call provider support and give them this reference.

## Quick guide

help-title = Quick guide
help-heading = Quick guide: moving your accounts to the new portal
help-lead = If you had several accounts on the old portals (one per Tax ID Number, practice or system), you can move them all into one login on the new portal. It takes about five minutes for the first account. Have ready: each old account's username and password, a Tax ID Number (TIN) it bills under, the answer to its security question (or its PIN), and your own email address.
help-toc-label = Steps in this guide
help-picture-alt = The { $page } page, on a phone
help-start-heading = Start
help-start-text = On the sign-in page, find the sentence that begins "If you have an account with us and it's your first time visiting our new portal" and select click here to continue.
help-lookup-heading = 1. Account Lookup
help-lookup-text = Enter the username of one of your old accounts and any Tax ID Number that account bills under. You can type the TIN with or without the dash (836576879 or 83-6576879). Select Next.
help-verify-heading = 2. Account Verification
help-verify-text = The page shows the security question of the account. Type the answer (capital letters don't matter), or the account's PIN instead. After 5 wrong tries this step is locked for 15 minutes. If the answer is not accepted, select Previous and check the username and TIN.
help-email-heading = 3. Email Address Verification
help-email-text = Enter your own email address, not a shared one, in both Email and Verify Email. We send a 6-digit code to it, and use it later if you forget your username or password.
help-code-heading = 4. Security Code Verification
help-code-text = Enter the 6-digit code from the email. It works once, for 10 minutes. If it does not arrive within a few minutes, check your spam or junk folder, then select Request New Code (you can ask for a new code once a minute, up to 5 times an hour). A new code replaces the old one. To fix the address, select Previous.
help-password-heading = 5. Verify Username and Password
help-password-text = Enter the username and password of the same old account and select Submit. After 5 wrong tries this step is locked for 15 minutes. Select Show password to check what you typed. If that old password is too short, too common or contains the username, you are then asked to choose a new password for your new login (Choose a New Password), with the same rules as Register.
help-review-heading = Accounts to consolidate: Add another account or Finish
help-review-text = After Submit, the page lists the accounts added so far. Select Add another account to add the next old account: you answer its security question (or give its PIN) and enter its username and password; your email is already verified, so those steps are skipped. When the list is complete, select Finish: everything is merged at once. Nothing is merged before Finish.
help-done-heading = Thank You
help-done-text = The page lists the accounts and Tax ID Numbers (only the last four digits are shown) now under one login, and the username to sign in with. Its password is that account's password.
help-registration-heading = Registering with a registration code
help-registration-text = If you are new to us, the insurer gives you a registration code for your TIN. If you have not received one, or it does not work, contact provider support.
help-registration-steps = On the sign-in page select Register. Enter the registration code and the Tax ID Number it was issued for (with or without the dash) and select Next. Then choose your username and give your own email address; we email you a 6-digit code to enter on Security Code Verification. Last, choose a password: at least 8 characters (15 or more is better), not a common one, and not containing your username. Registration Complete shows the username to sign in with.
help-registration-trouble = A code works once, for 30 days. After 5 wrong tries it is locked for 15 minutes. If it has expired or was already used, the page says so: ask provider support for a new one.
help-forgot-username-text = Select Forgot Username on the sign-in page and enter the email address of your login. If a login uses it, we email its username there. The page looks the same either way, so that nobody can find out which addresses have a login.
help-forgot-password-text = Select Forgot Password and enter your username. We email a 6-digit code to the address of your login; enter it, then choose a new password. Everyone signed in with the old password is signed out, and we email you to say the password changed.
help-cancel-heading = Cancel, Previous and time limits
help-cancel-text = Cancel stops at any point and changes nothing. Previous goes one step back and keeps what you typed (except passwords, answers and codes). For your security the set-up ends after 15 minutes without activity, or 60 minutes in all; nothing is changed until the last step.
help-faults-heading = If something goes wrong on our side
help-faults-text = If a page says something went wrong on our side, what you entered before is kept: wait a minute and try again. If it keeps happening, call provider support and quote the reference the page shows (for example A1B2C3D4); it lets us find exactly what happened.

## The operators' console (/ops)
ops-role-auditor = auditor
ops-role-support = support
ops-role-admin = admin
ops-signin-heading = Operators' console: sign in
ops-signin-lead = For the insurer's operators. Providers sign in on the portal's front page.
ops-signin-help = No account yet, or lost your authenticator? Ask an admin of the console for an enrolment link.
ops-label-code = Code from your authenticator app
ops-hint-code = The 6 digits your authenticator app shows now. Each code works once.
ops-button-sign-in = Sign in
ops-notice-signed-out = You have signed out of the console.
ops-notice-enrolled = Your console account is ready. Sign in with your username, your password and a code from your authenticator app.
error-ops-sign-in = The username, password or code is not right, or the code was used already. Check them and try again with a new code. After 5 wrong tries, sign-in is locked for 15 minutes.
error-ops-code-wrong = That code is not right. Check that your authenticator app shows "Provider Portal" and enter the 6 digits it shows now.
ops-enrol-heading = Set up your console account
ops-enrol-invalid = This enrolment link is not valid: it was used already, it has expired (links work for 24 hours), or it was not copied whole. Ask an admin for a new one.
ops-enrol-lead = You are setting up the console account { $username } ({ $role }). Choose a password and add the account to an authenticator app; both are needed to sign in.
ops-enrol-authenticator-heading = 1. Add the account to your authenticator app
ops-enrol-authenticator-text = In your authenticator app (for example Google Authenticator, Microsoft Authenticator or 1Password), add an account by scanning this QR code, or by typing the key below. This is shown only until you finish.
ops-enrol-qr-label = QR code to scan with your authenticator app
ops-enrol-seed-label = Or type this key:
ops-button-enrol = Finish setting up
ops-signed-in-as = Signed in to the console as { $username } ({ $role }).
ops-nav-label = Console
ops-progress-heading = Migration progress
ops-notice-not-allowed = Your role does not allow that action. Ask an admin if you need it.
ops-logins-created = New-portal logins created: { $count }.
ops-sources-caption = Old accounts by old portal
ops-col-source = Old portal
ops-col-loaded = Loaded
ops-col-consolidated = Consolidated
ops-col-in-wizard = In a wizard now
ops-col-not-started = Not started
ops-total = All old portals
ops-imports-heading = Import runs
ops-imports-none = No import has been run yet.
ops-col-when = When
ops-col-who = Run by
ops-col-run = File and counts
ops-dry-run = (dry run)
ops-locked-heading = Locks in force
ops-locked-none = No lock is in force.
ops-locked-caption = Locks in force, soonest to end first
ops-col-lock = Lock
ops-col-whose = Account
ops-col-ends = Ends
ops-col-action = Action
ops-lock-answer = security answer or PIN
ops-lock-password = old account password
ops-lock-sign_in = sign-in
ops-lock-registration = registration code
ops-lock-operator = console sign-in
ops-label-reason = Reason (required; kept in the audit trail)
ops-button-unlock = Unlock
ops-notice-unlocked = The lock was lifted, and the provider was told by mail where we have an address.
ops-notice-unlock-gone = That lock had ended already.
error-ops-reason-empty = Give the reason for this action.
mail-unlocked-subject = Your Provider Portal account is unlocked
mail-unlocked-body =
    The lock on your Provider Portal account { $account } ({ $lock }) was lifted by provider support on { $when }. You can try again now.

    If you did not ask for this, call provider support: nobody at the insurer will ever ask you for your password.
ops-audit-heading = Audit trail
ops-label-from = From (date)
ops-label-to = To (date)
ops-hint-date = As YYYY-MM-DD, in UTC.
ops-hint-prefix = The beginning is enough.
ops-label-action = Action
ops-label-outcome = Outcome
ops-label-account = Old account (username)
ops-label-operator = Operator (username)
ops-label-address = Address
ops-button-search = Search
ops-button-export = Export CSV
ops-audit-none = No event matches this search.
ops-audit-caption = Events, newest first (page { $page })
ops-col-times = Times
ops-col-account-id = Old account id
ops-col-target = Target
ops-col-reason = Reason
ops-pager-label = Pages of events
ops-newer = Newer events
ops-older = Older events
error-ops-date = Enter the date as YYYY-MM-DD, for example 2026-11-30.
ops-find-heading = Find an account
ops-label-find = Username or Tax ID Number (TIN)
ops-hint-find = An old account's username, a new login's username, or a TIN (with or without the dash).
ops-button-find = Find
ops-find-none = No old account or login matches.
ops-old-account-heading = Old account { $username }
ops-login-heading = New-portal login { $username }
ops-fact-practice = Practice
ops-fact-role = Role
ops-fact-tins = TINs
ops-fact-status = Status
ops-fact-email = Email
ops-fact-created = Created
ops-fact-sessions = Sessions active now
ops-status-not-started = Not started
ops-status-in-flow = In a { $flow } at step { $step } (last seen { $seen })
ops-status-consolidated = Consolidated into login { $login } on { $on }
ops-trail-caption = Its audit trail, newest first
ops-button-end-sessions = End all sessions
ops-notice-sessions-ended = Every session of that login has ended.
ops-find-for-tin = Results for the TIN { $tin }.
ops-stuck-heading = Stuck
ops-stuck-lead = Wizards and recovery flows idle at a step for { $minutes } minutes or longer. A flow ends by itself after 15 minutes without activity.
ops-label-minutes = Idle for at least (minutes)
ops-hint-minutes = From 1 to 60.
ops-button-show = Show
ops-stuck-none = No flow is idle that long.
ops-stuck-groups-caption = Idle flows by step
ops-stuck-flows-caption = The flows idle longest (at most 100)
ops-col-flow = Flow
ops-col-step = Step
ops-col-flows = Flows
ops-col-longest = Longest idle (min)
ops-col-shortest = Shortest idle (min)
ops-col-idle = Idle (min)
ops-col-age = Since it began (min)
ops-col-account = Old account
ops-cases-heading = Cases
ops-cases-lead = "This wasn't me" reports. Each froze its login at once: its sessions ended, and nobody can sign in with it, reset its password or add to it. Decide each one after checking with the people concerned, by the insurer's own procedure. Undo the consolidation (within 30 days of it): every old account under the login goes back to "not consolidated", so that its owner can move it again with its old username and password, and the login is disabled (kept, with its trail). Or lift the freeze: the login works again. Either is mailed to the addresses concerned.
ops-cases-none = No case has been reported.
ops-case-heading = Case { $reference }: login { $username }
ops-case-status = Status
ops-case-open = Open: the login is frozen
ops-case-undone = Consolidation undone ({ $when })
ops-case-lifted = Freeze lifted ({ $when })
ops-case-reported = Reported
ops-case-reported-at = { $when }, from { $address }
ops-case-email = The login's address
ops-case-accounts = Old accounts under it
ops-case-no-accounts = None now
ops-case-trail = The accounts' trail (Find an account)
ops-case-trail-caption = How it was consolidated: every step of the wizards, newest first (when, which step and its outcome, from which address)
ops-button-undo = Undo the consolidation
ops-button-lift = Lift the freeze
ops-notice-case-undone = The consolidation is undone: its old accounts can be moved again, and the login is disabled. The addresses concerned are being mailed.
ops-notice-case-lifted = The freeze is lifted: the login works again. Its address is being mailed.
ops-notice-case-decided = That case was already decided.
ops-notice-case-too-late = Not undone: the consolidation is more than 30 days old. Lift the freeze, or handle the accounts one by one.
ops-notice-case-gone = There is no such case.
mail-undone-subject = Your Provider Portal consolidation was undone
mail-undone-body =
    After a "This wasn't me" report, provider support undid on { $when } the consolidation into the Provider Portal login { $username }, which no longer works. These old portal accounts are back as they were:

    { $list }
    Their owners can move them to the new portal again with the quick guide's wizard, with each account's old username and password.
mail-lifted-subject = Your Provider Portal login works again
mail-lifted-body =
    After a "This wasn't me" report, provider support lifted on { $when } the freeze of the Provider Portal login { $username }. It signs in again with its password.
ops-outbox-heading = Outbox
ops-outbox-lead = Every mail the portal sends is written here first, with the step that causes it, and sent from here; a mail the mail server does not take is tried again (after 30 seconds, then less and less often, at most every 5 minutes) for 24 hours. Listed: the mail waiting or being tried again, and the mail that failed for good in the last { $days } days. A mail's text is never shown: it may hold a code.
ops-outbox-none = No mail is waiting, and none failed for good in the last { $days } days.
ops-outbox-caption = Mail waiting, being tried again, or failed for good (the newest 200)
ops-outbox-queued = Waiting (next try { $when })
ops-outbox-retrying = Being tried again (next try { $when })
ops-outbox-failed = Failed for good ({ $when })
ops-col-written = Written
ops-col-mail = Mail
ops-col-to = To
ops-col-subject = Subject
ops-col-status = Status
ops-col-tries = Tries
ops-col-last-error = Last failure
ops-per-day-heading = Consolidations per day, last 30 days
ops-per-day-total = Old accounts consolidated in the last 30 days: { $count }.
ops-col-day = Day (UTC)
verify-no-answer-heading = Can't answer the question?
verify-no-answer-text = If you know neither the answer nor the PIN, call provider support. Once they have checked who you are, they can give you a support code (it looks like ABCDE-23456). Type it in the field above instead of the answer. It works once, within 72 hours.
ops-fact-support-code = Support code
ops-support-code-none = None live
ops-fact-campaign-mail = Campaign mail
ops-campaign-mail-open = Campaigns may write to its address
ops-campaign-mail-no-address = It has no address: campaigns pass it over
ops-campaign-mail-unsubscribed = Its address unsubscribed on { $since }: no campaign writes to it
ops-campaign-mail-bouncing = Its address bounces (since { $since }): no campaign writes to it
ops-support-code-live = { $tries ->
    [one] Live until { $until }; { $tries } try left
   *[other] Live until { $until }; { $tries } tries left
}
ops-hint-support-code = Only after checking the caller by the insurer's procedure. The code works once, for 72 hours, at Account Verification; a new code voids the one before.
ops-button-support-code = Issue a support code
ops-notice-support-code-consolidated = This old account is consolidated already: it needs no support code.
ops-shown-heading = Code shown once
ops-shown-support-lead = Read this support code to the provider of the old account { $account }. It is shown only now: it is not kept, and this page will not show it again.
ops-shown-support-use = The provider types it at Account Verification, in place of the answer or PIN. It works once, until { $until }; five wrong tries void it. Issuing a new code voids this one.
ops-shown-back = Back to { $account }
ops-shown-gone = There is nothing to show. A code is shown once, on this page, just after it is issued. If it was lost, issue a new one: that voids the old one.
ops-codes-heading = Registration codes
ops-codes-issue-heading = Issue a registration code
ops-hint-code-tin = The TIN the practice registers with. It is not kept on this page if the form is refused.
ops-hint-code-role = Practice manager if left empty.
ops-label-days = Works for (days)
ops-hint-days = From 1 to 365; 30 if left empty.
ops-button-issue-code = Issue the code
ops-codes-list-heading = The newest codes
ops-codes-none = No registration code has been issued.
ops-codes-caption = Registration codes, newest first (at most 200)
ops-col-expires = Expires
ops-code-status-live = Live
ops-code-status-used = Used on { $since }
ops-code-status-expired = Expired
ops-code-status-revoked = Revoked on { $since }
ops-code-status-locked = Locked until { $since } (5 wrong TINs)
ops-button-revoke = Revoke
ops-notice-revoked = The code is revoked: it no longer works.
ops-notice-revoke-gone = That code was used, revoked or expired already.
error-ops-practice = Enter the practice's name (at most 200 characters).
error-ops-role = Enter a role of at most 200 characters, or leave it empty.
error-ops-days = Enter a number of days from 1 to 365, or leave it empty.
ops-shown-registration-lead = Give this registration code to the practice { $account }. It is shown only now: it is not kept, and this page will not show it again.
ops-shown-registration-use = The provider types it at Register with the TIN. It works once, until { $until }; five wrong TINs lock it for 15 minutes. You can revoke it on Registration codes.
ops-shown-to-codes = Back to Registration codes
ops-operators-heading = Operators
ops-operators-add-heading = Add an operator
ops-label-role = Role
ops-button-add-operator = Add the operator
ops-operators-caption = Operators, by username
ops-col-last-seen = Last seen
ops-never = Never
ops-operator-you = You (another admin can change your login)
ops-operator-status-enrolled = Enrolled
ops-operator-status-awaiting = Enrolment link sent, not used yet
ops-operator-status-link-expired = Enrolment link expired (use Reset TOTP for a new one)
ops-operator-status-disabled = Disabled
ops-button-disable = Disable
ops-button-enable = Enable
ops-button-reset-totp = Reset TOTP
ops-notice-operator-disabled = The operator is disabled: every session of theirs has ended, and they cannot sign in.
ops-notice-operator-enabled = The operator is enabled again.
ops-notice-operator-unchanged = Nothing changed: the operator was so already.
ops-notice-operator-not-oneself = You cannot disable or reset your own login; another admin can.
ops-notice-operator-operator-gone = That operator does not exist.
error-ops-role-choose = Choose a role: admin, support or auditor.
error-ops-operator-taken = An operator has this username already.
ops-shown-enrol-lead = The enrolment link of { $account }. Give it to the operator in person or by a channel you trust. It is shown only now: it is not kept, and this page will not show it again.
ops-shown-enrol-use = It works once, until { $until }: the operator sets an authenticator app and a password there. Until then they cannot sign in.
ops-shown-to-operators = Back to Operators
ops-funnel-heading = Wizard funnel
ops-funnel-lead = { $count ->
    [one] { $count } wizard begun from { $from } to { $to } (UTC). For each step: how many wizards reached it, how many went no further (still there, or left), and the median time spent there by those that went on.
   *[other] { $count } wizards begun from { $from } to { $to } (UTC). For each step: how many wizards reached it, how many went no further (still there, or left), and the median time spent there by those that went on.
}
ops-funnel-caption = The wizard's steps, in order
ops-funnel-from-links = Begun from a campaign's link: { $count }. Their accounts moved since: { $moved }.
ops-col-reached = Reached
ops-col-stopped = Went no further
ops-col-median = Median time there
ops-secs = { $n } s
ops-min-secs = { $m } min { $s } s
ops-hours-min = { $h } h { $m } min
ops-sign-in-first = Sign in to the console to see this page.
ops-per-day-none = No old account has been consolidated in the last 30 days, so there is no chart to draw yet.
ops-trail-none = Its audit trail is empty: nothing has been recorded for this account yet.
ops-case-trail-none = No step of a wizard is recorded for this consolidation.

## Two-step sign-in (Sign-in and security)
ops-lock-second_step = second step of sign-in
protect-heading = Protect your new login
protect-offer-heading = Add a second step to your login
protect-text = Your login opens every account of your practice. Add a second step, so that a stolen password alone cannot open it: after your password, you will enter a code from an app on your phone.
protect-app-text = An authenticator app (such as Google Authenticator, Microsoft Authenticator or 1Password) shows a new 6-digit code every 30 seconds. You will also get ten backup codes, for a day without your phone.
protect-not-now = Not now: go to My accounts
protect-required = Your organisation requires a second step: add one to go on to My accounts.
button-set-up-app = Set up an authenticator app
app-heading = Set up an authenticator app
app-step-scan = Open your authenticator app, choose to add an account, and scan this QR code.
app-qr-label = QR code of your login's key, for your authenticator app
app-step-key = Cannot scan it? Type this key into the app instead:
app-step-code = Enter the 6-digit code the app now shows for Provider Portal.
label-method-name = Name for this app
hint-method-name = So that you can tell your devices apart, for example "Work phone".
label-app-code = Code from the app
button-turn-on = Turn on
link-back-security = Back to Sign-in and security
error-app-code = That code is not right. Enter the 6-digit code the app shows now; if it keeps failing, check that your phone's clock is set automatically.
codes-heading = Your backup codes
codes-text = Each of these codes opens your login once, in place of a code from your app. Print them or write them down, and keep them where you keep other important papers.
codes-once = They are shown this once. If you lose them, make new ones on Sign-in and security: the old ones then stop working.
button-codes-kept = I have kept them: go to My accounts
codes-gone = Backup codes are shown only once, when they are made, and are not kept to show again. You can make new ones on Sign-in and security.
security-heading = Sign-in and security
security-methods-heading = Second step
security-methods-caption = Your second steps
security-col-name = Name
security-col-kind = Kind
security-col-added = Added
security-col-used = Last used
security-kind-app = Authenticator app
security-never = Not yet
security-none = Your login has no second step yet: a password alone opens it.
security-codes-heading = Backup codes
security-codes-left = { $left } of 10 backup codes are left.
button-new-codes = Make new backup codes
security-rename-heading = Rename a second step
label-method = Second step
button-rename = Rename
security-remove-heading = Remove a second step
security-remove-text = Confirm your password and a code first. Every other browser signed in to your login is signed out; removing the last one also voids your backup codes.
button-remove = Remove
notice-app-added = Your authenticator app was added.
notice-renamed = The name was changed.
notice-removed = The second step was removed, and your other sessions were ended.
notice-backup-codes-low = You signed in with a backup code. Only a few are left: make new ones below.
error-second-step = That code is not right. After five wrong codes the second step is locked for 15 minutes.
error-method = Choose one of your second steps.
second-step-heading = Confirm it's you
second-step-text = Your password was right. Now enter the 6-digit code your authenticator app shows for Provider Portal, or one of your backup codes.
label-second-step-code = Code from your app, or a backup code
hint-second-step-code = 6 digits from the app, or a backup code such as ABCDE-FGHJK.
button-continue = Continue
second-step-lost = Lost your phone and your backup codes? Call provider support: after checking who you are, they can reset your second step, and you will set it up again at your next sign-in.
second-step-other-login = Sign in with another login
accounts-add-text-second-step = To move a further old account under this login, confirm your password and a code from your app first.
mail-second-step-subject = Your Provider Portal login's second step changed
mail-second-step-body =
    The second step of your Provider Portal login { $username } changed on { $when }: { $what }

    If this wasn't you, open this link within 30 days to freeze the login at once (you will be asked to confirm), then call provider support: nobody at the insurer will ever ask you for a code.
    { $link }
mail-second-step-app-added = an authenticator app was added.
mail-second-step-codes = new backup codes were made, and the old ones stopped working.
mail-second-step-removed = a second step was removed, and the login's other sessions were ended.
mail-second-step-reset = provider support reset it at your request: every second step and backup code was removed, and you will set one up again at your next sign-in.
ops-fact-second-step = Second step
ops-second-step-none = None: a password alone opens this login.
ops-second-step-method = { $name } ({ $kind }), added { $added }, last used { $used }
ops-reset-heading = Reset second step
ops-reset-text = Only after the provider's identity was checked by the insurer's own procedure (never by a code or password they read out). Every second step and backup code of the login is removed and every session ends; its address is mailed with a "This wasn't me" link, and the provider sets a second step up again at the next sign-in.
ops-button-reset-second-step = Reset second step
ops-notice-second-step-reset = The login's second step was reset and its address was told.
help-protect-text = After Thank You (and after Register), and on My accounts until you have one, you are offered a second step for your new login: after the password, a 6-digit code from an authenticator app on your phone. Select Set up an authenticator app, scan the QR code with the app (or type the key shown under it), and enter the code the app shows. You then get ten backup codes: print them or write them down, each works once. Your organisation may require a second step after a few sign-ins. Sign-in and security, linked from My accounts, lists your second steps; removing one, or making new backup codes, asks for your password and a code first, and we email you about every change. If your browser can make passkeys, Protect your new login and Sign-in and security also offer Add a passkey: confirm your password, name the passkey, and press Create passkey; your browser asks for your fingerprint, face, screen lock or security key.
help-second-step-text = With a second step, the sign-in page asks for your password, then Confirm it's you asks for the code your app shows now, or one of your backup codes. Each code works once. After 5 wrong codes this step is locked for 15 minutes. Lost your phone and your backup codes? Call provider support: after checking who you are, they reset your second step and you set it up again at your next sign-in. With a passkey, press Sign in with a passkey on the sign-in page (no username or password needed; your browser may also offer it in the Username field), or press Use your passkey on Confirm it's you.
ops-second-step-figures = Logins without a second step: { $none }.
ops-second-step-kind = With { $kind }: { $count }.
label-remember-browser = Remember this browser for 30 days (not on a shared computer)
security-browsers-heading = Remembered browsers
security-browsers-none = No browser is remembered: every sign-in asks for the second step.
security-col-browser = Browser
security-col-since = Remembered since
security-this-browser = { $browser } (this browser)
button-forget = Forget
button-forget-browser = Forget { $browser }
button-forget-all = Forget every browser
notice-browsers-forgotten = Those browsers will be asked for the second step again.
label-new-name = New name

## Passkeys (issue 29, step 2)
passkey-add-heading = Add a passkey
passkey-text = A passkey signs you in with your fingerprint, your face, your device's screen lock or a security key: no code to type, and no password either. It cannot be phished, because it works only on this site. Confirm your password first.
button-add-passkey = Add a passkey
passkey-heading = Create your passkey
passkey-step-text = Name the passkey so that you can tell it apart later, then press Create passkey. Your browser will ask you to confirm with your fingerprint, your face, your screen lock or your security key.
hint-passkey-name = For example "Office laptop" or "My phone".
passkey-default-name = Passkey
button-create-passkey = Create passkey
passkey-needs-script = Creating a passkey needs JavaScript in your browser. You can set up an authenticator app instead.
error-passkey-add = The passkey was not created, or it could not be checked. Try again, or set up an authenticator app instead.
error-passkey-registered = That passkey is already added to a login.
error-passkey = That passkey could not be checked. Try again, or use your username and password.
button-passkey-sign-in = Sign in with a passkey
button-use-passkey = Use your passkey
second-step-or-code = Or enter a code from your authenticator app, or one of your backup codes:
protect-app-heading = Authenticator app
security-kind-passkey = Passkey
notice-passkey-added = Your passkey was added.
mail-second-step-passkey-added = a passkey was added.
error-passkey-second = That passkey could not be checked. Try again, or enter a code below.
label-passkey-name = Name for this passkey
hint-step-up-passkey = Or leave the code empty: your browser will ask for your passkey.

## Old portals' closing dates (issue 32)

day-long = { $month } { $day }, { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
closing-notices-label = Old portals closing soon
closing-notice = Your old { $portal } account works until { $date }:
closing-notice-link = move it now
notice-portal-closed = The old { $portal } portal closed on { $date }, and its accounts can no longer be moved to the new portal. Please call provider support.
ops-closing-heading = Closing dates
ops-closing-lead = The last day each old portal works. The sign-in page and the quick guide name the portals that close within the next 90 days.
ops-closing-caption = Closing dates by old portal
ops-closing-set-heading = Set a closing date
ops-label-source = Old portal
ops-label-portal-name = Name providers know it by
ops-hint-portal-name = Shown on the sign-in page: "Your old … account works until …". Leave it empty to use the old portal's own name.
ops-label-closes-on = Last day it works
ops-hint-closes-on = As YYYY-MM-DD, for example 2027-03-31.
ops-label-after-closing = After that day
ops-after-lookup = Providers can still move its accounts with the wizard
ops-after-refuse = The wizard no longer moves its accounts
ops-button-set-closing = Save the closing date
ops-button-remove-closing = Remove the date
ops-col-name-shown = Shown as
ops-col-closes = Last day
ops-col-not-moved = Not moved yet
ops-col-after = After that day
ops-closing-none = No old portal holds accounts yet.
ops-closing-no-date = No date
ops-closing-days-left = { $days ->
    [one] { $date } (1 day left)
   *[other] { $date } ({ $days } days left)
}
ops-closing-today = { $date } (today is the last day)
ops-closing-closed = { $date } (closed)
ops-notice-closing-set = The closing date is saved.
ops-notice-closing-removed = The closing date is removed.
ops-notice-closing-gone = That old portal had no closing date.
error-ops-source = Choose one of the old portals listed.
error-ops-portal-name = Enter a name of at most 80 characters, or leave it empty.
error-ops-closes-on = Enter the day as YYYY-MM-DD, for example 2027-03-31.
error-ops-after-closing = Choose what happens after that day.

## Invitation campaigns (issue 32)

campaign-subject = Move your old portal accounts to the new provider portal
campaign-subject-reminder = Reminder: move your old portal accounts to the new provider portal
campaign-greeting = Hello,
campaign-intro = We are replacing our old provider portals with one new portal. The old accounts below use this address; each moves to the new portal in a few minutes. Open an account's link, type its Tax ID Number, and answer its security question or enter its PIN.
campaign-reminder-intro = A reminder: the old accounts below, which use this address, have not moved to the new provider portal yet. Each moves in a few minutes: open its link, type its Tax ID Number, and answer its security question or enter its PIN.
campaign-account-line = - { $username } ({ $practice }): { $link }
closing-notice-mail = Your old { $portal } account works until { $date }.
campaign-how = The quick guide shows every step: { $guide }
campaign-never = We will never ask you for a password, a PIN or an answer by mail or by phone.
campaign-unsubscribe = To get no more of these mails: { $link }
unsubscribe-heading = Stop invitation mail
unsubscribe-lead = We will send no more invitations or reminders about the new portal to { $address }.
unsubscribe-still = Mail you ask for yourself (a verification code, a new password) still comes.
unsubscribe-button = Unsubscribe
unsubscribe-done = { $address } gets no more invitations or reminders.
unsubscribe-to-sign-in = Go to the sign-in page
unsubscribe-invalid = This link is not one of ours, or it was changed on the way. Nothing was changed.
error-campaign-name = Enter a name of at most 100 characters.
error-campaign-statuses = Choose at least one status.
error-campaign-langs = Choose at least one language.
error-campaign-rate = Enter the mails per hour, from 1 to 1,000,000.
error-campaign-reminders = Enter up to 5 days, rising, from 1 to 365, for example 7, 21; or leave it empty.
error-campaign-imported-before = Enter a day as YYYY-MM-DD, for example 2027-01-15, or leave it empty.
ops-campaigns-heading = Campaigns
ops-campaigns-lead = Invitations and reminders to the old accounts' addresses, one mail per address, at the rate you choose. Nothing goes to an address that unsubscribed or bounces.
ops-campaigns-caption = Campaigns, newest first
ops-campaigns-none = No campaign yet.
ops-col-campaign = Campaign
ops-col-invited = Invited
ops-campaign-new-heading = New campaign
ops-label-campaign-name = Name
ops-campaign-every-portal = Every old portal
ops-label-statuses = Which old accounts
ops-campaign-status-all = Every account not moved yet
ops-campaign-status-not_started = Not started
ops-campaign-status-in_wizard = In a wizard now
ops-campaign-status-stuck = Stuck (a wizard reached it before)
ops-label-langs = Languages of the mail
ops-campaign-langs-en-es = English and Spanish
ops-campaign-langs-en = English
ops-campaign-langs-es = Spanish
ops-label-per-hour = Mails per hour
ops-hint-per-hour = From 1 to 1,000,000; the mail server's own limits first.
ops-label-reminders = Reminders (days after the invitation)
ops-hint-reminders = For example 7, 21; only to addresses still holding an account not moved. Leave it empty for none.
ops-label-imported-before = Imported before
ops-hint-imported-before = Only the accounts loaded before this day, as YYYY-MM-DD. Leave it empty for any day.
ops-campaign-imported-any = Any day
ops-button-create-campaign = Create the draft
ops-campaign-heading = Campaign
ops-campaign-state-draft = Draft
ops-campaign-state-running = Sending
ops-campaign-state-paused = Paused
ops-campaign-state-stopped = Stopped
ops-campaign-state-done = Done
ops-campaign-no-reminders = None
ops-campaign-reminder-days = { $days } days after the invitation
ops-campaign-started = Started
ops-campaign-ended = Ended
ops-campaign-reach = { $addresses ->
    [one] It writes to 1 address
   *[other] It writes to { $addresses } addresses
} now ({ $accounts ->
    [one] 1 old account
   *[other] { $accounts } old accounts
}).
ops-button-campaign-start = Start
ops-button-campaign-pause = Pause
ops-button-campaign-resume = Resume
ops-button-campaign-stop = Stop
ops-campaign-figures-heading = Figures by wave
ops-campaign-figures-none = Nothing sent yet.
ops-col-wave = Wave
ops-col-sent = Sent
ops-col-bounced = Bounced
ops-col-unsubscribed = Unsubscribed
ops-col-begun = Wizards begun from the link
ops-col-moved-7 = Moved within 7 days
ops-col-moved-30 = Moved within 30 days
ops-campaign-wave-invitation = Invitation
ops-campaign-wave-reminder = Reminder { $n }
ops-campaign-preview-heading = The mail as providers read it
ops-campaign-preview-text = As the first address it writes to would read it. Each link is made as the mail is written, and opens Account Lookup with that account's username filled in.
ops-campaign-preview-subject = Subject: { $subject }
ops-campaign-preview-none = It writes to no address now.
ops-campaign-test-heading = Send a test
ops-campaign-test-text = The invitation's text, listing a made-up account whose link leads nowhere, to the address you type (your own). The subject says it is a test.
ops-label-test-address = Your email address
ops-button-campaign-test = Send a test
ops-notice-created = The campaign is created as a draft. Check the mail below, then start it.
ops-notice-start = The campaign is sending.
ops-notice-pause = The campaign is paused: nothing more is sent until it is resumed.
ops-notice-resume = The campaign is sending again.
ops-notice-stop = The campaign is stopped.
ops-notice-test = The test is on its way.
ops-notice-unchanged = That campaign cannot do that now (see its status).
ops-notice-campaign-gone = There is no such campaign.
