#!/usr/bin/env python3
"""Writes bench/data/crypto_domains.jsonl: hosts that imitate crypto wallets, exchanges and
DeFi/NFT apps, labelled `phishing`, beside real hosts whose names sit near those brands,
labelled `legitimate`. Written for scamguard and released with the project (Apache-2.0).

What it measures: whether a look-alike rule flags the shapes crypto phishing hosts take (the
kind MetaMask's eth-phishing-detect and wallet blocklists collect: drainer kits behind "claim",
"airdrop", "connect", "restore", "sync", "validate", "migrate" pages) while the brands' own
subdomains, real companies and words one or two edits from a brand, and real forks and tools
named after a brand stay quiet.

How it is made: every host below was typed by hand from general knowledge of how these
domains look; nothing is copied from a blocklist, a dataset or the engine's brand list (this
file was written before reading either). Phishing hosts are grouped by SHAPE (brand plus a
service word, brand split by a hyphen or a dot, brand as a subdomain of a cheap or free-hosting
domain, letter pairs that read as one letter, digit-for-letter swaps, missing / doubled /
swapped / replaced letters, punycode and Unicode look-alike letters, the brand's own domain
name under a cheap TLD or inside another name, and mixtures). Legitimate hosts are grouped
the same way (the brand's own hosts, real sites one or two edits away, real sites sharing the
brand's word, real crypto projects and tools named near a brand). Punycode hosts are written
here in Unicode and stored in their `xn--` form (Python's IDNA codec), the form blocklists
hold; the `idn_unicode` shape keeps a few in Unicode, the form a pasted link may carry.

Split: within each (label, shape) group the hosts are ordered by a SHA-256 hash of the host
and dealt alternately to `dev` and `test`, so that both halves hold every shape of both labels
and a host's half never depends on the hosts around it in this file.

Fields: host, label (`phishing` | `legitimate`), brand (the brand the host imitates or sits
near), shape, split (`dev` | `test`), id.

Usage: python3 bench/data/write_crypto_domains.py   (deterministic: same file every run)
"""

import hashlib
import json
import os

# Each block: lines of "brand host [host ...]".
PHISHING = {
    # brand beside a crypto service word, joined by a hyphen or run together
    "service_word": """
metamask metamask-airdrop.com metamask-restore.net metamask-sync.org metamask-validate.com
metamask metamaskconnect.org metamask-wallet-connect.com metamaskrewards.xyz metamask-migrate.io
metamask claim-metamask.com metamask-dapp.app metamask-portal.net metamaskrestore.com
uniswap uniswap-claim.org uniswap-airdrop.xyz uniswapclaim.net uniswap-rewards.com
uniswap uniswap-v4.app uniswap-dapp.org claim-uniswap.io uniswap-portal.com uniswaprewards.org
opensea opensea-rewards.xyz opensea-claim.com openseadrop.net opensea-mint.io
opensea opensea-verify.com opensea-migration.app openseaclaims.org opensea-portal.io
ledger ledger-restore.com ledger-live-sync.com ledgerlive-update.net ledger-validate.org
ledger ledger-recovery.io ledger-secure.app ledgerwallet-support.com ledger-connect.net
trezor trezor-suite-update.com trezor-restore.io trezor-recovery.net trezorwallet-sync.com
trezor trezor-validate.org trezor-connect.app
coinbase coinbase-airdrop.com coinbase-wallet-restore.net coinbase-support-case.com
coinbase coinbasewallet-sync.org coinbase-verify.io coinbase-rewards.app
binance binance-airdrop.net binance-rewards.org binance-claim.com binancereward.io
binance binance-verify-account.com binance-launchpool.app
kraken kraken-verify.com kraken-support-desk.net kraken-rewards.org kraken-login.io
okx okx-airdrop.com okx-rewards.net okx-web3-claim.org okxwallet-connect.com
bybit bybit-airdrop.net bybit-rewards.com bybit-claim.org bybit-launchpad.io
phantom phantom-wallet-restore.com phantom-airdrop.app phantomwallet-sync.net phantom-claim.io
phantom phantom-connect.org
trustwallet trustwallet-restore.com trust-wallet-sync.net trustwallet-validate.org
trustwallet trustwalletconnect.io trustwallet-airdrop.app
pancakeswap pancakeswap-claim.com pancakeswap-airdrop.net pancakeswap-rewards.org
pancakeswap pancakeswapdapp.io
curve curve-claim.com curve-finance-rewards.net curvefi-airdrop.org curve-dao-claim.io
aave aave-claim.com aave-airdrop.org aave-rewards.net aave-v4-launch.app aave-staking.io
lido lido-rewards.com lido-staking-claim.org lido-airdrop.net lidofi-withdraw.com
arbitrum arbitrum-claim.com arbitrum-airdrop.org arbitrumrewards.net arbitrum-drop.io
arbitrum claim-arbitrum.app arbitrum-foundation-claim.com arbitrum-one.app
optimism optimism-airdrop.com optimism-claim.org optimism-drop.net claim-optimism.io
blur blur-airdrop.com blur-claim.org blur-rewards.net blurseason2-claim.io
magiceden magiceden-claim.com magiceden-airdrop.org magicedenrewards.net magiceden-mint.io
rabby rabby-wallet-claim.com rabby-airdrop.net rabby-points.org rabbywallet-sync.io
walletconnect walletconnect-sync.com walletconnect-validate.org walletconnect-restore.net
walletconnect walletconnect-dapp.io walletconnect-rectify.com walletconnectportal.org
etherscan etherscan-verify.com etherscan-claim.org etherscan-rewards.net
ethereum ethereum-airdrop.org ethereum-pos-claim.com eth2-staking-claim.net
safe safe-wallet-migrate.com safe-global-claim.org
zksync zksync-airdrop.com zksync-claim.org zksyncrewards.io
layerzero layerzero-airdrop.com layerzero-claim.org
eigenlayer eigenlayer-claim.com eigenlayer-airdrop.org
starknet starknet-airdrop.com starknet-claim.org
jupiter jupiter-airdrop.com jup-claim.org
polygon polygon-airdrop.com polygon-claim.org
solana solana-airdrop.com solana-claim.org
""",
    # the brand split by a hyphen or a dot (or several)
    "split": """
metamask meta-mask.io meta-mask.com meta.mask-wallet.com me-tamask.io
uniswap uni-swap.org uni-swap.app uni.swap-app.com
opensea open-sea.io open-sea.app open.sea-nft.com
pancakeswap pancake-swap.finance pancake-swap.com pancake.swap-finance.io
trustwallet trust-wallet.com trust-wallet.app trust.wallet-app.net
magiceden magic-eden.io magic-eden.app magic.eden-nft.com
walletconnect wallet-connect.org wallet-connect.app wallet.connect-dapp.com
etherscan ether-scan.io ether-scan.com ether.scan-tx.com
coinbase coin-base.com coin-base.io coin.base-wallet.net
binance bi-nance.com bin-ance.org
ledger led-ger.com
phantom phan-tom.app
arbitrum arbi-trum.io
optimism opti-mism.io
magiceden magic-eden-nft.com
""",
    # the brand (or brand.tld) as a subdomain of a cheap, unrelated domain
    "brand_subdomain": """
metamask metamask.restore-wallet.top metamask.io.wallet-verify.com metamask.secure-sync.xyz
metamask metamask.wallets-connect.online
uniswap uniswap.claim-drop.xyz app.uniswap.org.claims-portal.xyz uniswap.dapps-portal.site
opensea opensea.nft-drop.app opensea.io.mint-free.live opensea.verify-listing.online
ledger ledger.support-case.online ledger.com.device-check.net ledger.live-update.site
trezor trezor.suite-download.top trezor.io.firmware-update.club
coinbase coinbase.secure-login.site coinbase.com.account-review.info
binance binance.rewards-center.top binance.com.verify-kyc.online
kraken kraken.account-unlock.site
phantom phantom.app.wallet-recover.xyz phantom.sol-drop.live
trustwallet trustwallet.wallet-sync.top
pancakeswap pancakeswap.finance.farm-rewards.xyz
arbitrum arbitrum.claim-portal.site arbitrum.io.token-claim.live
optimism optimism.drop-claims.online
aave aave.lending-rewards.top
lido lido.fi.stake-rewards.site
blur blur.io.season-claim.xyz
magiceden magiceden.mint-pass.live
walletconnect walletconnect.dapp-sync.online
etherscan etherscan.io.tx-verify.site
""",
    # the brand on a free hosting or site-builder domain
    "free_hosting": """
metamask metamask-connect.pages.dev metamask-login.webflow.io metamask-wallet.firebaseapp.com
metamask metamasksync.netlify.app
uniswap uniswap-airdrop.netlify.app uniswap-claim.vercel.app
opensea opensea-claim.vercel.app opensea-drop.web.app
ledger ledger-live.web.app ledger-recovery.herokuapp.com
trezor trezor-suite.firebaseapp.com trezorsuite.weebly.com
coinbase coinbase-wallet.webflow.io coinbase-support.wixsite.com
binance binance-airdrop.weebly.com binance-reward.glitch.me
phantom phantom-wallet.webflow.io phantomapp.pages.dev
trustwallet trustwallet-validate.vercel.app
walletconnect walletconnect-sync.herokuapp.com walletconnect.netlify.app
pancakeswap pancakeswap-farm.vercel.app
arbitrum arbitrum-claim.pages.dev
blur blur-claim.vercel.app
kraken kraken-verify.wixsite.com
rabby rabby-wallet.pages.dev
""",
    # letter pairs that read as one letter (rn -> m, vv -> w, cl -> d, ii -> u)
    "letter_pair": """
metamask rnetamask.io metarnask.io rnetarnask.io rnetamask-wallet.com
uniswap unisvvap.org unisvvap.app
pancakeswap pancakesvvap.finance pancakesvvap.com
trustwallet trustvvallet.com trustvvallet.app
walletconnect vvalletconnect.com vvalletconnect.org
magiceden rnagiceden.io rnagic-eden.io
optimism optirnism.io optimisrn.io
arbitrum arbitrurn.io
phantom phantorn.app
ledger leclger.com
coinbase coinbase-rnigrate.com
sushiswap sushisvvap.com
etherscan etherscarn.io
""",
    # a digit or a capital that reads as a letter (0/o, 1/l, I/l, 3/e, 4/a, 5/s)
    "digit_letter": """
opensea 0pensea.io 0pensea.app opensea-0fficial.com
coinbase c0inbase.com co1nbase.com
okx 0kx.com
phantom phant0m.app
trezor trez0r.io
ledger 1edger.com iedger.com l3dger.com
binance b1nance.com blnance.com bin4nce.com
blur b1ur.io
lido 1ido.fi
polygon po1ygon.technology
metamask metam4sk.io m3tamask.io
uniswap un1swap.org
etherscan ethersc4n.io 3therscan.io
kraken kr4ken.com
aave 4ave.com
trustwallet trustwa1let.com
""",
    # a letter left out
    "missing_letter": """
metamask metamsk.io metmask.io
uniswap unswap.org uniswp.org
opensea opnsea.io opensa.io
ledger ledgr.com
trezor trezr.io
coinbase coinbse.com conbase.com
binance binnce.com binace.com
kraken krakn.com
phantom phantm.app
etherscan etherscn.io
pancakeswap pancakswap.finance
trustwallet trustwalet.com
walletconnect walletconect.com
magiceden magiceen.io
arbitrum arbitum.io
optimism optimsm.io
""",
    # a letter written twice
    "doubled_letter": """
metamask metammask.io metamaskk.io
uniswap uniiswap.org unisswap.org
opensea openssea.io opennsea.io
ledger leddger.com
trezor trezzor.io
coinbase coinbbase.com
binance binnance.com
kraken krakken.com
phantom phanttom.app
etherscan etherrscan.io
pancakeswap pancakesswap.finance
trustwallet trusttwallet.com
magiceden magiceeden.io
arbitrum arbittrum.io
optimism opttimism.io
aave aavve.com
""",
    # two neighbouring letters swapped
    "swapped_letters": """
metamask mteamask.io metamsak.io
uniswap unsiwap.org uinswap.org
opensea opesnea.io
ledger ldeger.com
trezor terzor.io
coinbase conibase.com
binance binacne.com
kraken karken.com
phantom phnatom.app
etherscan ehterscan.io
pancakeswap pancaekswap.finance
trustwallet turstwallet.com
arbitrum arbitrmu.io
optimism optimsim.io
""",
    # one letter replaced (often a keyboard neighbour or a sound-alike)
    "replaced_letter": """
metamask metamesk.io metamaks.io
uniswap uniswep.org unisvap.org
opensea opansea.io openeea.io
ledger ledjer.com
trezor trezer.io
coinbase coinbace.com
binance binence.com
kraken kracken.com
phantom phamtom.app
etherscan etherskan.io
pancakeswap pancakeswep.finance
trustwallet trustwallat.com
walletconnect walletkonnect.com
arbitrum arbitrun.io
aave aava.com
""",
    # Unicode look-alike letters, stored as punycode (Cyrillic a/e/o/p/c/x, Latin accents)
    "punycode": """
metamask metamаsk.io ḿetamask.io metamasķ.io
uniswap uniswаp.org uniswąp.org
opensea opеnsea.io öpensea.io
ledger lеdger.com lédger.com
trezor trеzor.io
coinbase сoinbase.com coinbasé.com
binance binanсe.com bínance.com
kraken krakеn.com
phantom phаntom.app
etherscan еtherscan.io
pancakeswap pancakeswаp.finance
trustwallet trustwаllet.com
blur blür.io
aave ааve.com
okx оkx.com
""",
    # Unicode look-alike letters kept in Unicode (the form a pasted link may carry)
    "idn_unicode": """
metamask metаmask.io
uniswap unіswap.org
opensea оpensea.io
ledger ledgеr.com
coinbase coinbаse.com
phantom рhantom.app
""",
    # the brand's own name under a cheap or wrong TLD, or the real domain inside another name
    "wrong_tld": """
metamask metamask.top metamask.cc metamask-io.com metamaskio.net
uniswap uniswap.xyz uniswap-org.app uniswaporg.com app-uniswap.org
opensea opensea.icu opensea-io.net openseaio.com
ledger ledger-com.support ledgerlive.app ledger-live.co
trezor trezor-io.com trezorio.net
coinbase coinbase-com.net coinbase.top
binance binance-com.org binance.vip
kraken kraken-com.net
phantom phantom-app.com phantomapp.io
pancakeswap pancakeswap-finance.com pancakeswapfinance.org
curve curve-fi.com curvefi.net curve-finance.net
aave aave-com.net aaveapp.org
lido lido-fi.org lidofi.net
arbitrum arbitrum-io.com arbitrum.xyz
optimism optimism-io.com
blur blur-io.com blurio.net
magiceden magiceden-io.com magiceden.xyz
rabby rabby-io.com rabby.xyz
walletconnect walletconnect-com.org
etherscan etherscan-io.com etherscan.co
trustwallet trustwallet.co
""",
    # several shapes at once (typo and service word, subdomain and typo, long hyphen chains)
    "mixed": """
metamask metamsk-wallet.com rnetamask-restore.net secure-metamask-wallet-restore.com
metamask wallet.metarnask-sync.xyz metamask-io-verify.com
uniswap unlswap-claim.xyz app.unisvvap.org uniswap-v3-claim-rewards.com
opensea 0pensea-drop.io opensea-nft-claim-free.com opensae-mint.xyz
ledger 1edger-live.com ledger-live-recovery-phrase.com ledgr-restore.net
trezor trezor-suite-wallet-update.com trezr-recovery.io
coinbase coinbase-wallet-verify-account.com c0inbase-support.net
binance blnance-airdrop.com binance-account-verify-kyc.net
kraken krakn-login.com
phantom phantom-wallet-connect-dapp.com phant0m-claim.app
trustwallet trustvvallet-restore.com trust-wallet-validate-sync.net
pancakeswap pancakesvvap-claim.finance pancake-swap-airdrop.com
walletconnect wallet-connect-sync-dapp.com vvalletconnect-restore.org
arbitrum arbitrurn-claim.com arb-airdrop-claim.xyz
optimism optirnism-drop.com
blur b1ur-airdrop.io
magiceden rnagiceden-claim.com
etherscan etherscn-verify.com
lido 1ido-staking.com
aave aave-v3-rewards-claim.net
""",
}

LEGITIMATE = {
    # the brands' own hosts, their apps, documentation and support sites
    "brand_own": """
metamask metamask.io portfolio.metamask.io support.metamask.io docs.metamask.io snaps.metamask.io
metamask community.metamask.io metamask.github.io
uniswap uniswap.org app.uniswap.org docs.uniswap.org support.uniswap.org blog.uniswap.org
uniswap gov.uniswap.org wallet.uniswap.org
opensea opensea.io docs.opensea.io support.opensea.io testnets.opensea.io pro.opensea.io
ledger ledger.com www.ledger.com shop.ledger.com support.ledger.com developers.ledger.com
trezor trezor.io suite.trezor.io connect.trezor.io wiki.trezor.io blog.trezor.io
coinbase coinbase.com www.coinbase.com help.coinbase.com wallet.coinbase.com docs.cdp.coinbase.com
binance binance.com www.binance.com accounts.binance.com academy.binance.com binance.us
kraken kraken.com pro.kraken.com support.kraken.com blog.kraken.com
okx okx.com www.okx.com
bybit bybit.com www.bybit.com learn.bybit.com
phantom phantom.app help.phantom.app
trustwallet trustwallet.com community.trustwallet.com
pancakeswap pancakeswap.finance docs.pancakeswap.finance blog.pancakeswap.finance
curve curve.fi curve.finance resources.curve.fi gov.curve.fi
aave aave.com app.aave.com docs.aave.com governance.aave.com
lido lido.fi stake.lido.fi docs.lido.fi research.lido.fi blog.lido.fi
arbitrum arbitrum.io bridge.arbitrum.io portal.arbitrum.io docs.arbitrum.io arbitrum.foundation
arbitrum forum.arbitrum.foundation
optimism optimism.io app.optimism.io docs.optimism.io gov.optimism.io community.optimism.io
blur blur.io
magiceden magiceden.io help.magiceden.io
rabby rabby.io
walletconnect walletconnect.com walletconnect.org docs.walletconnect.com cloud.walletconnect.com
etherscan etherscan.io sepolia.etherscan.io holesky.etherscan.io docs.etherscan.io
etherscan optimistic.etherscan.io
ethereum ethereum.org www.ethereum.org ethereum.foundation
safe safe.global app.safe.global
zksync zksync.io
polygon polygon.technology
solana solana.com docs.solana.com explorer.solana.com
base base.org docs.base.org
uniswap info.uniswap.org
gemini gemini.com
kucoin kucoin.com
exodus exodus.com
blockchain blockchain.com
oneinch 1inch.io app.1inch.io
compound compound.finance app.compound.finance
jupiter jup.ag
raydium raydium.io
eigenlayer eigenlayer.xyz
starknet starknet.io
layerzero layerzero.network
blast blast.io
""",
    # real sites and projects one or two edits from a brand's name
    "near_name": """
binance finance.yahoo.com finance.ec.europa.eu
aave dave.com wave.com
lido lidl.com lidl.de lids.com
blur blurb.com
ledger leger.com
kraken krakow.pl
arbitrum arbitron.com
optimism optimum.net optimist.org
trezor trevorproject.org tresorit.com
opensea openssl.org opensuse.org openssh.com
metamask metabase.com metamath.org metamap.com
okx ok.ru okta.com ox.ac.uk oxo.com
bybit fitbit.com bitbuy.ca
phantom fantom.foundation
rabby rabbitmq.com ruby-lang.org
curve curves.com
uniswap unisat.io
coinbase codebasehq.com coinjar.com
etherscan etherpad.org ethers.org
polygon polygon.com
safe safe.com
gemini gemini.google.com
jupiter jupyter.org
ens ens.fr
okx oki.com
aave aarp.org
base bose.com basf.com
blast last.fm
lido lidl.co.uk
""",
    # real sites that share a brand's word (the word is theirs as much as the brand's)
    "shared_word": """
opensea openseamap.org opensecrets.org opensearch.org openseadragon.github.io
ledger theledger.com ledger-cli.org hledger.org ledgerinsights.com
kraken kraken.io krakenjs.com krakenrum.com
phantom phantomjs.org phantombuster.com phantomoftheopera.com
blur blurbusters.com
curve curve.com
trustwallet trustpilot.com trustwave.com trust.org
walletconnect wallethub.com
magiceden magic.link edenproject.com
metamask meta.com metacritic.com metafilter.com
rabby rabbit.tech
safe safeway.com
blast blast.ncbi.nlm.nih.gov
base basecamp.com
coinbase coindesk.com coingecko.com coinmarketcap.com coinmama.com coinlist.co
binance bitpanda.com bitstamp.net bitfinex.com
etherscan etherchain.org ethplorer.io ether.fi etherlink.com
uniswap quickswap.exchange spookyswap.finance baseswap.fi apeswap.finance biswap.org sushi.com
aave aavegotchi.com
ethereum ethereumclassic.org
polygon polygon.io
trustwallet trustarc.com
magiceden magicjack.com magicleap.com
walletconnect connectwise.com
coinbase coinledger.io koinly.io cointracker.io coinstats.app
metamask mask.io
opensea sea.com
optimism optimizely.com
""",
    # real crypto tools and explorers a wallet user visits, named near the brands they serve
    "crypto_tool": """
etherscan bscscan.com arbiscan.io polygonscan.com basescan.org blockscout.com beaconcha.in
metamask infura.io consensys.io revoke.cash debank.com zapper.xyz zerion.io rainbow.me
walletconnect reown.com
ethereum l2beat.com defillama.com dune.com ultrasound.money ens.domains app.ens.domains
binance bnbchain.org
solana solscan.io
arbitrum arbitrum.network
""",
}


def to_ascii(host):
    """The host as blocklists hold it: each non-ASCII label in its punycode (`xn--`) form."""
    return ".".join(l.encode("idna").decode("ascii") if not l.isascii() else l
                    for l in host.split("."))


def rows_of(blocks, label):
    out = []
    for shape, text in blocks.items():
        for line in text.strip().splitlines():
            brand, *hosts = line.split()
            for h in hosts:
                host = to_ascii(h) if shape == "punycode" else h
                out.append({"host": host, "label": label, "brand": brand, "shape": shape})
    return out


def main():
    rows = rows_of(PHISHING, "phishing") + rows_of(LEGITIMATE, "legitimate")
    seen = {}
    for r in rows:
        key = r["host"].lower()
        assert key not in seen, f"listed twice: {r['host']} ({seen[key]} and {r['shape']})"
        seen[key] = r["shape"]
    groups = {}
    for r in rows:
        groups.setdefault((r["label"], r["shape"]), []).append(r)
    for g in groups.values():
        g.sort(key=lambda r: hashlib.sha256(r["host"].encode()).hexdigest())
        for i, r in enumerate(g):
            r["split"] = "dev" if i % 2 == 0 else "test"
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "crypto_domains.jsonl")
    with open(out_path, "w", encoding="utf-8") as f:
        for i, r in enumerate(rows):
            r["id"] = f"crypto-{i:04d}"
            f.write(json.dumps({k: r[k] for k in ("id", "host", "label", "brand", "shape",
                                                   "split")}, ensure_ascii=False) + "\n")
    counts = {}
    for r in rows:
        counts[(r["label"], r["split"])] = counts.get((r["label"], r["split"]), 0) + 1
    print(f"wrote {len(rows)} hosts to {out_path}: {sorted(counts.items())}")
    for (label, shape), g in sorted(groups.items()):
        print(f"  {label:10} {shape:16} {len(g):4}")


if __name__ == "__main__":
    main()
