#!/usr/bin/env python3
"""Writes bench/data/en_written_messages.jsonl: English messages written for scamguard, released
with the project (Apache-2.0), to fill the gap the public SMS sets leave.

Why: the redistributable sets (UCI SMS Spam Collection, Mendeley smishing) are personal chat
from about 2011 against UK premium-rate spam. They hold almost no *legitimate* transactional
text (appointment reminders, card alerts, delivery notices, passcodes), so a model trained on
them alone reads any message with a phone number, "reply" or "your account" as unwanted. This
file adds such ham, the modern smishing that imitates it (fees for parcels, locked accounts,
unpaid tolls, "hi mum"), and ordinary marketing, all written from general knowledge of these
message types: templates with slots, because the real ones are templates with slots too.
No text is copied from any dataset or from the scenario cases.

Records follow the ../shared/datasets format; `split` is a hash of the text (70/15/15), so
that `scamguard train` fits on `train` and chooses settings on `dev`, and `test` stays unseen.

Usage: python3 bench/data/write_en_messages.py   (deterministic: same file every run)
"""

import random

from written import record, unique_texts, write

R = random.Random(20260101)

FIRST = ["Sam", "Alex", "Priya", "Tom", "Maria", "Wei", "Chris", "Aisha", "Jordan", "Emma", "Liam",
         "Noah", "Olivia", "Raj", "Fatima", "Ben", "Chloe", "Daniel", "Grace", "Hannah", "Kenji"]
LAST = ["Patel", "Smith", "Nguyen", "Garcia", "Okafor", "Brown", "Khan", "Lee", "Murphy", "Rossi",
        "Schmidt", "Tanaka", "Walker", "Ahmed", "Cohen"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Monday", "Tuesday", "Wednesday", "Thursday",
        "Friday", "tomorrow", "today"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
SHOPS = ["ASOS", "Argos", "Currys", "IKEA", "Zara", "Target", "Walmart", "Best Buy", "Boots",
         "John Lewis", "Etsy", "eBay seller tech_deals", "Decathlon", "H&M", "Apple"]


def num(n):
    return "".join(R.choice("0123456789") for _ in range(n))


def phone():
    return R.choice([
        f"{R.randint(201, 989)}-555-{num(4)}", f"({R.randint(201, 989)}) 555-{num(4)}",
        f"0{R.randint(1100, 2099)} {num(6)}", f"0{R.choice(['20', '161', '131', '117'])} {num(4)} {num(4)}",
        f"+1 {R.randint(201, 989)} 555 {num(4)}", f"07700 900{num(3)}",
    ])


def time_():
    return R.choice([f"{R.randint(7, 11)}:{R.choice(['00', '15', '30', '45', '20', '40'])} AM",
                     f"{R.randint(1, 5)}:{R.choice(['00', '15', '30', '45', '10', '50'])} PM",
                     f"{R.randint(8, 17)}:{R.choice(['00', '15', '30', '45'])}"])


def date():
    return R.choice([f"{R.choice(DAYS[:6])}, {R.choice(MONTHS)} {R.randint(1, 28)}",
                     f"{R.randint(1, 28)}/{R.randint(1, 12)}", f"{R.choice(MONTHS)} {R.randint(1, 28)}",
                     R.choice(DAYS)])


def money(cur=None):
    cur = cur or R.choice(["$", "£", "€"])
    return f"{cur}{R.randint(3, 899)}.{num(2)}"


def name():
    return f"{R.choice(FIRST)} {R.choice(LAST)}"


def pick(*xs):
    return R.choice(xs)


# --- legitimate transactional and personal messages (ham) -------------------------------------

def appointment():
    who = pick(f"Dr. {R.choice(LAST)}", f"your dentist Dr {R.choice(LAST)}", "the hygienist",
               f"{R.choice(FIRST)} at Cutting Edge Salon", "Northside Vet Clinic", "the eye clinic",
               "Riverside Physio", "your GP surgery", "Quick Fit Auto Service")
    place = pick("Harbor Health", "Oakwood Medical Centre", "City Dental Care", "Maple Street Clinic",
                 "St Mary's Outpatients", "Greenway Family Practice")
    return pick(
        f"Reminder: your appointment with {who} is on {date()} at {time_()}. Reply Y to confirm or N to cancel.",
        f"{place}: You are booked in on {date()} at {time_()}. To change, call {phone()}. Reply STOP to opt out of reminders.",
        f"Hi {R.choice(FIRST)}, this is a reminder of your appointment {pick('tomorrow', 'on ' + date())} at {time_()} with {who}. Please arrive 10 mins early.",
        f"Your {pick('vaccination', 'blood test', 'check-up', 'MOT', 'eye test', 'cleaning')} is booked for {date()} {time_()} at {place}. Reply C to confirm.",
        f"{place} reminder: {date()} {time_()}. If you can no longer attend please call {phone()} so we can offer the slot to someone else.",
        f"Appointment confirmed: {who}, {date()} at {time_()}. Parking is available behind the building.",
        f"You have a {pick('telephone', 'video', 'face-to-face')} consultation with {who} on {date()} at {time_()}. We will call you from a withheld number.",
    )


def card_alert():
    bank = pick("Chase", "Barclays", "HSBC", "Lloyds", "Wells Fargo", "Monzo", "Capital One",
                "NatWest", "Santander", "Bank of America", "Citi", "Starling")
    last4 = num(4)
    merchant = pick("AMAZON.COM", "TESCO STORES", "SHELL 4421", "UBER *TRIP", "STARBUCKS",
                    "APPLE.COM/BILL", "WALMART", "SPOTIFY", "COSTA COFFEE", "TARGET 0042")
    return pick(
        f"{bank}: A purchase of {money()} at {merchant} was made with your card ending {last4}. If this wasn't you, call the number on the back of your card.",
        f"{bank} Fraud Alert: Did you use card ending {last4} for {money()} at {merchant}? Reply YES or NO. Msg&data rates may apply. Reply STOP to opt out.",
        f"{bank}: Your balance is below {money()}. Log in to the app to see your transactions.",
        f"{bank}: Payment of {money()} received into account ending {last4}.",
        f"{bank}: Thanks for confirming. Your card ending {last4} is active again.",
        f"{bank} Alert: Direct debit of {money()} to {pick('British Gas', 'EE', 'Netflix', 'Council Tax', 'Vodafone')} will be taken on {date()}.",
        f"{bank}: We've sent your new card ending {last4}. It should arrive in 3-5 working days. Activate it in the app.",
        f"{bank}: You sent {money()} to {name()}. If you don't recognise this, call us on the number on our website.",
    )


def delivery():
    carrier, site = pick(("Royal Mail", "royalmail.com"), ("UPS", "ups.com"), ("FedEx", "fedex.com"),
                         ("DHL", "dhl.com"), ("Amazon", "amazon.com"), ("USPS", "usps.com"),
                         ("Evri", "evri.com"), ("DPD", "dpd.co.uk"), ("Australia Post", "auspost.com.au"))
    ref = pick(f"{num(10)}", f"1Z{num(14)}", f"QF{num(9)}GB", f"TBA{num(12)}")
    shop = R.choice(SHOPS)
    return pick(
        f"{carrier}: Your parcel from {shop} will be delivered {pick('today', 'tomorrow')} between {time_()} and {time_()}. Track: https://www.{site}/track?ref={ref}",
        f"Your {shop} order has shipped with {carrier}. Tracking number {ref}. Expected {date()}.",
        f"{carrier}: We delivered your parcel {pick('to your safe place', 'to your neighbour at no. ' + str(R.randint(2, 90)), 'to your front door', 'to the parcel locker')}. Photo: https://{site}/p/{ref}",
        f"Good news! Your order #{num(6)} from {shop} is out for delivery today.",
        f"{carrier}: Sorry we missed you. Your item is at your local depot and will be redelivered on {date()}. Manage it at {site}",
        f"Your {shop} order {num(3)}-{num(7)} has been dispatched. You can track it in the {shop} app.",
        f"{carrier} driver {R.choice(FIRST)} is {R.randint(2, 12)} stops away with your parcel.",
    )


def passcode():
    svc = pick("Google", "Microsoft", "WhatsApp", "Apple", "PayPal", "Uber", "Amazon", "Facebook",
               "your bank", "Steam", "Instagram", "LinkedIn", "Coinbase", "Revolut")
    code = num(pick(4, 6, 6, 8))
    return pick(
        f"{code} is your {svc} verification code.",
        f"Your {svc} code is {code}. Don't share it with anyone.",
        f"{svc}: Your security code is {code}. It expires in 10 minutes. We will never ask you for it.",
        f"Use {code} to sign in to {svc}. If you didn't ask for this, you can ignore this message.",
        f"<#> {code} is your {svc} code. Never share this code.",
        f"{svc} login code: {code}",
    )


def service_notice():
    return pick(
        f"Your {pick('EE', 'Vodafone', 'Verizon', 'AT&T', 'O2', 'Three', 'T-Mobile')} bill of {money()} is ready. View it in the app or at your online account.",
        f"{pick('British Gas', 'Octopus Energy', 'PG&E', 'Thames Water', 'Con Edison')}: Please send us a meter reading by {date()} so your next bill is accurate.",
        f"Your prescription is ready to collect from {pick('Boots', 'Walgreens', 'CVS', 'Lloyds Pharmacy', 'Superdrug')} {pick('High St', 'Main St', 'Station Rd')}. Opening hours 9-6.",
        f"{pick('Uber', 'Lyft', 'Bolt')}: Your driver {R.choice(FIRST)} is arriving in a {pick('white', 'grey', 'black', 'blue')} {pick('Toyota Prius', 'Kia Niro', 'Honda Civic', 'Skoda Octavia')}.",
        f"Your {pick('DoorDash', 'Deliveroo', 'Uber Eats', 'Just Eat')} order from {pick('Pizza Palace', 'Thai Garden', 'Burger Barn', 'Sushi Go')} is on its way. Arriving around {time_()}.",
        f"{school()}: School will close at {time_()} {pick('today', 'on ' + date())} due to {pick('snow', 'a power cut', 'staff training', 'a heating fault')}. Please collect your child on time.",
        f"Flight {pick('BA', 'UA', 'LH', 'EZY', 'AA', 'DL')}{R.randint(100, 2999)} to {pick('Madrid', 'Chicago', 'Dublin', 'Berlin', 'Denver', 'Rome')}: check-in is now open. Gate closes 30 minutes before departure.",
        f"{pick('Avanti', 'Amtrak', 'GWR', 'LNER')}: The {time_()} service to {pick('Bristol', 'Leeds', 'Boston', 'York')} is delayed by about {R.randint(5, 45)} minutes. We apologise for the delay.",
        f"Library: the book you reserved is ready to collect from {pick('Central', 'Northside', 'Riverside')} Library until {date()}.",
        f"{pick('Council', 'City')} recycling: your {pick('blue', 'green', 'brown')} bin collection moves to {R.choice(DAYS[:6])} this week because of the bank holiday.",
        f"Thanks for your payment of {money()}. Your reference is {num(8)}.",
        f"Your table for {R.randint(2, 8)} at {restaurant()} is booked for {date()} at {time_()}. Reply CANCEL if your plans change.",
        f"Hi {R.choice(FIRST)}, your car is ready to collect from {pick('Kwik Fit', 'Halfords Autocentre', 'Midas', 'Jiffy Lube')}. Total {money()}. We close at 5:30pm.",
    )


def personal():
    f = R.choice(FIRST)
    return pick(
        f"Hey, my new number is {phone()}, save it! - {f}",
        f"Can you call me on {phone()} when you're free? It's about {pick('the flat', 'Saturday', 'the car', 'the birthday party')}",
        f"Here's the link for the {pick('shared album', 'doc', 'booking', 'spreadsheet')}: https://{pick('photos.app.goo.gl', 'docs.google.com/document/d', 'www.dropbox.com/s', 'drive.google.com/file/d')}/{num(6)}x{num(4)}",
        f"I owe you {money()} for {pick('dinner', 'the tickets', 'petrol', 'the taxi')}, I'll transfer it tonight",
        f"Running {R.randint(5, 30)} mins late, train stuck outside {pick('Clapham', 'Leeds', 'Newark', 'Reading')}. Sorry!",
        f"Meeting moved to {time_()} {pick('tomorrow', 'on ' + R.choice(DAYS[:5]))}, room {R.randint(1, 5)}.{R.randint(1, 30)}",
        "Did you see the match last night? Unbelievable second half",
        f"The plumber said {money()} for the boiler, is that ok with you?",
        f"Reminder that the {pick('book club', 'five-a-side', 'choir', 'PTA meeting')} is {date()} at {time_()}, bring {pick('snacks', 'your boots', 'the music', 'a pen')}",
        f"Can you pick up {pick('milk', 'bread and eggs', 'the kids', 'my prescription')} on the way home? x",
        f"Your code for the locker is {num(4)}, it's the one by the door",
        f"Happy birthday {f}! Hope you have a lovely day, drinks on {R.choice(DAYS[:6])}?",
    )


# --- scams imitating them ---------------------------------------------------------------------

def bad_domain(*words):
    w = R.choice(words)
    return pick(f"{w}-{pick('verify', 'secure', 'help', 'redelivery', 'billing', 'update', 'support')}.{pick('top', 'xyz', 'info', 'online', 'site', 'click', 'live', 'cc')}",
                f"{w}.{pick('com-', 'co-')}{pick('track', 'pay', 'id', 'care')}.{pick('top', 'xyz', 'icu', 'vip')}",
                f"{pick('bit.ly', 'tinyurl.com', 'is.gd', 'cutt.ly')}/{num(3)}{R.choice('abcdefghkmnpqrstuvwxyz')}{num(2)}",
                f"{w}{num(2)}.{pick('weebly.com', 'web.app', 'duckdns.org', 'firebaseapp.com')}",
                f"http://{R.randint(23, 212)}.{R.randint(1, 254)}.{R.randint(1, 254)}.{R.randint(1, 254)}/{w}")


def parcel_scam():
    carrier = pick("USPS", "Royal Mail", "DHL", "Evri", "FedEx", "UPS", "Canada Post", "An Post", "DPD")
    link = bad_domain(carrier.lower().replace(" ", ""), "parcel", "redeliver")
    return pick(
        f"{carrier}: Your package could not be delivered due to an incomplete address. Update your details within 24 hours: {link}",
        f"{carrier}: Your parcel is held at our depot. A redelivery fee of {money()} is required. Pay now at {link}",
        f"Your {carrier} shipment #{num(9)} is on hold. Unpaid customs fee {money()}. Pay today or it will be returned: {link}",
        f"{carrier} final notice: we tried to deliver your package twice. Reschedule here {link} or it will be destroyed.",
        f"{carrier}: The package has arrived at the warehouse and cannot be delivered. Please confirm your address in 12 hours {link} (reply Y then reopen this message to activate the link)",
        f"We missed you! Your {carrier} item needs a small fee of {money()} before we can deliver. {link}",
    )


def bank_scam():
    bank = pick("Chase", "Barclays", "HSBC", "Lloyds", "Wells Fargo", "Bank of America", "NatWest",
                "Santander", "PayPal", "Capital One", "Halifax")
    link = bad_domain(bank.lower().replace(" ", ""), "secure", "online")
    return pick(
        f"{bank}: Your account has been suspended due to unusual activity. Verify your identity now at {link}",
        f"{bank} ALERT: A new device was added to your account. If this was NOT you, secure your account immediately: {link}",
        f"Your {bank} online banking has been locked. To restore access, confirm your details at {link}",
        f"{bank}: A payment of {money()} to {name()} is pending. If you did not authorise this, cancel at {link}",
        f"{bank} Fraud Team: suspicious payment detected. Call us urgently on {phone()} and do not use your card. Keep your card reader ready.",
        f"This is {bank} security. We will call you shortly to move your savings to a safe account. Do not discuss this with branch staff.",
        f"Dear customer, your {bank} card has been restricted. Update your information within 24 hours to avoid permanent closure: {link}",
    )


def toll_tax_scam():
    link = bad_domain("toll", "ezpass", "gov-refund", "hmrc", "irs", "dvla")
    return pick(
        f"{pick('E-ZPass', 'FasTrak', 'SunPass', 'TxTag')}: You have an unpaid toll balance of {money('$')}. To avoid a late fee of $50, pay now: {link}",
        f"HMRC: You are due a tax refund of {money('£')}. Claim it before {date()} at {link}",
        f"IRS: Your tax refund of {money('$')} has been approved. Submit your bank details to receive it: {link}",
        f"DVLA: Your vehicle tax payment failed. Update your payment details to avoid a fine: {link}",
        f"GOV.UK: You are eligible for a cost of living payment of {money('£')}. Apply here {link}",
        f"Final notice: unpaid parking charge {money()}. Pay within 48 hours at {link} or court action will follow.",
    )


def account_scam():
    svc = pick("Netflix", "Apple", "Amazon", "Microsoft", "Disney+", "Spotify", "Instagram", "WhatsApp",
               "Norton", "McAfee", "Google")
    link = bad_domain(svc.lower().replace("+", "plus"), "account", "billing")
    return pick(
        f"{svc}: Your payment was declined and your membership will be cancelled. Update your billing at {link}",
        f"{svc} ID: your account has been locked for security reasons. Unlock it at {link}",
        f"Your {svc} subscription renewed for {money()}. If you did not make this purchase call {phone()} to get a refund.",
        f"{svc}: Unusual sign-in from Moscow, Russia. If this wasn't you, verify now: {link}",
        f"Hi, this is {svc} support. We sent you a 6-digit code by mistake, please forward it to us so we can fix your account.",
        f"Congratulations! You are today's {svc} winner. Claim your {pick('iPhone 15', 'gift card', '£500 voucher', 'PS5')} at {link}",
    )


def family_job_scam():
    return pick(
        f"Hi mum, I dropped my phone in the {pick('toilet', 'bath', 'sink')}, this is my new number. Can you text me on WhatsApp? x",
        f"Hi dad it's me, new phone. I need to pay a bill of {money()} today but my banking app is locked, can you send it and I'll pay you back tomorrow?",
        f"Hello, I'm {R.choice(FIRST)} from {pick('Indeed', 'a recruitment agency', 'Amazon HR', 'TikTok marketing')}. Part-time job, earn ${R.randint(200, 900)} a day from home liking videos. Add me on WhatsApp {phone()}",
        f"We reviewed your CV. Remote position, {R.randint(60, 90)} mins a day, daily pay {money('$')}. Reply YES to learn more.",
        f"Sorry to bother you, is this {R.choice(FIRST)}? We were supposed to meet for coffee. Anyway nice to meet you, where are you from?",
        f"My crypto mentor turned {money('$')} into ${R.randint(20, 90)},000 in a month. Join the VIP group: {bad_domain('crypto', 'invest')}",
        f"Your {pick('Amazon', 'Walmart', 'Target', 'Costco')} survey reward is waiting: a {money('$')} gift card. Claim: {bad_domain('reward', 'survey')}",
        f"I'm stuck at the shop and need {pick('Apple', 'Google Play', 'Steam')} gift cards for a client, can you buy {R.randint(2, 6)} x $100 and send me the codes? Will pay you back",
    )


# --- marketing (spam) -------------------------------------------------------------------------

def marketing():
    brand = pick("Domino's", "Boots", "Currys", "Papa John's", "ASOS", "Sky", "Vodafone", "Pizza Hut",
                 "Nando's", "Sports Direct", "Very", "Old Navy", "Sephora", "Gap")
    return pick(
        f"{brand}: {R.randint(20, 60)}% off everything this weekend only! Shop now at {brand.lower().replace(' ', '').replace(chr(39), '')}.com. Reply STOP to opt out",
        f"Treat yourself! 2 for 1 at {brand} today with code {pick('YUM', 'SAVE', 'DEAL', 'HAPPY')}{R.randint(10, 99)}. T&Cs apply. Text STOP to unsubscribe",
        f"{brand} SALE ends midnight: up to {R.randint(40, 70)}% off. Free delivery over {money()}. Opt out: reply STOP",
        f"Upgrade now and get {R.randint(50, 150)}GB data for just {money()} a month. Call {phone()} or reply UPGRADE. Stop? Text STOP",
        f"FLASH SALE! New season styles from {money()}. Don't miss out, shop the app now. STOP to end",
        f"Your exclusive member offer: {R.randint(10, 30)}% off your next order at {brand}. Valid until {date()}.",
    )


CATEGORIES = [
    ("ham", "appointment", appointment, 70),
    ("ham", "card_alert", card_alert, 70),
    ("ham", "delivery", delivery, 70),
    ("ham", "passcode", passcode, 50),
    ("ham", "service_notice", service_notice, 90),
    ("ham", "personal", personal, 80),
    ("scam", "parcel", parcel_scam, 55),
    ("scam", "bank", bank_scam, 55),
    ("scam", "toll_tax", toll_tax_scam, 45),
    ("scam", "account", account_scam, 45),
    ("scam", "family_job", family_job_scam, 50),
    ("spam", "marketing", marketing, 50),
]


def school():
    return pick("Oakfield Primary", "St John's School", "Hillside Academy", "Lincoln Elementary")


def restaurant():
    return pick("Luigi's", "The Red Lion", "Nando's", "Cafe Rouge")


def main():
    seen = set()
    rows = []
    for label, cat, gen, n in CATEGORIES:
        for t in unique_texts(gen, n, seen):
            rows.append(record("en_written", "en", len(rows), t, label, cat))
    write(rows, "en_written_messages.jsonl")


if __name__ == "__main__":
    main()
