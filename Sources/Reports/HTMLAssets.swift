/// The inline stylesheet and script of the HTML report. Nothing is loaded from the network; the page's
/// Content-Security-Policy allows only this exact script (by hash) and inline styles.
enum HTMLAssets {
    static let css = """
    :root{--fg:#1d2330;--muted:#5b6475;--line:#d9dde5;--bg:#f6f7f9;--card:#fff;
      --critical:#a50026;--high:#e8590c;--medium:#f2a93b;--low:#5aa9d6;--info:#9aa0a6}
    *{box-sizing:border-box}
    body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
    header.top{background:#1d2330;color:#fff;padding:18px 28px}
    header.top h1{margin:0 0 4px;font-size:22px}
    header.top .meta{color:#c8cdd8;font-size:12.5px;word-break:break-all}
    main{padding:8px 28px 40px;max-width:1500px}
    section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:16px 0}
    h2{font-size:17px;margin:0 0 10px}
    h3{font-size:14px;margin:12px 0 6px}
    .banner{background:#fff4d6;border:1px solid #e7c86a;border-radius:6px;padding:8px 12px;margin:12px 0}
    .cards{display:flex;flex-wrap:wrap;gap:10px}
    .card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:120px;background:#fbfcfd}
    .card b{display:block;font-size:20px}
    .card span{color:var(--muted);font-size:12px}
    table{border-collapse:collapse;width:100%;font-size:13px}
    th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
    th{background:#eef0f4;font-weight:600;position:sticky;top:0}
    td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
    td.t{white-space:nowrap;font-size:12px}
    td.name{min-width:8em;word-break:break-word}
    td.rl{font-size:12px;white-space:nowrap}
    .more{color:var(--muted)}
    td.hash{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:11.5px;word-break:break-all}
    .scroll{overflow-x:auto}
    .sev{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;color:#fff;font-weight:600}
    .sev-critical{background:var(--critical)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium);color:#222}
    .sev-low{background:var(--low);color:#222}.sev-info{background:var(--info);color:#222}
    .z{color:#b8bec9}
    .charts{display:flex;flex-wrap:wrap;gap:24px}
    .charts figure{margin:0;flex:1 1 600px;min-width:0}
    .charts svg{max-width:100%;height:auto}
    .charts h3{margin:0 0 6px}
    form#filters{display:none;flex-wrap:wrap;gap:12px;align-items:end;margin-bottom:12px;padding:10px;background:#eef0f4;border-radius:6px}
    body.js form#filters{display:flex}
    form#filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
    form#filters select{min-width:160px;max-width:260px;padding:3px}
    #shown{font-weight:600;margin-left:auto}
    article.hit{border:1px solid var(--line);border-left:5px solid var(--info);border-radius:6px;padding:8px 12px;margin:10px 0;background:#fff}
    article.hit.top-critical{border-left-color:var(--critical)}article.hit.top-high{border-left-color:var(--high)}
    article.hit.top-medium{border-left-color:var(--medium)}article.hit.top-low{border-left-color:var(--low)}
    article.hit[hidden]{display:none}
    .hh{font-size:12.5px;color:var(--muted);margin-bottom:4px}
    .hh b{color:var(--fg)}
    .msg{white-space:pre-wrap;word-break:break-word;font-size:14.5px;padding:4px 0}
    .ctx{list-style:none;margin:0;padding:0 0 0 12px;border-left:2px solid var(--line);color:var(--muted);font-size:12.5px}
    .ctx li{white-space:pre-wrap;word-break:break-word}
    .ctx .who{font-weight:600}
    .endorse{background:#ffe3ec;color:#8a1538;border-radius:4px;padding:0 4px;font-size:11px;font-weight:600}
    mark{border-radius:3px;padding:0 1px;background:#ffd5c2;outline:1px solid var(--high)}
    mark.m-critical{background:#f7c1cc;outline-color:var(--critical)}mark.m-medium{background:#ffe9b8;outline-color:var(--medium)}
    mark.m-low,mark.m-info{background:#dcefff;outline-color:var(--low)}
    .rules{margin:4px 0 0;padding:0;list-style:none;font-size:12px;color:var(--muted)}
    .rules code{color:var(--fg)}
    footer{color:var(--muted);font-size:12px;padding:0 28px 30px}
    td,.hh b,.msg,.ctx li,option{unicode-bidi:isolate}
    @media print{body{background:#fff}form#filters,body.js form#filters{display:none}article.hit{break-inside:avoid}
      .scroll{overflow:visible}section{break-inside:auto;border:none;padding:0}header.top{background:#fff;color:#000}}
    """

    /// Filters the hit list by category, minimum severity, sender and chat. Reads the initial filter from the
    /// URL fragment (`#severity=high&sender=...`). Marks `<body data-filters-ready="1" data-visible-hits="N">`
    /// when it has run, or `data-filters-error` when it failed, so headless tests can tell.
    static let js = """
    (function(){
    var b=document.body;
    try{
    var rank={info:0,low:1,medium:2,high:3,critical:4};
    var f=document.getElementById('filters');
    var hits=Array.prototype.slice.call(document.querySelectorAll('article.hit'));
    var sel={};['category','severity','sender','chat'].forEach(function(k){sel[k]=f.elements[k];});
    function apply(){
      var c=sel.category.value,s=sel.severity.value,p=sel.sender.value,h=sel.chat.value,n=0;
      hits.forEach(function(a){
        var ok=(!c||a.getAttribute('data-categories').indexOf('|'+c+'|')>=0)&&
          (!s||rank[a.getAttribute('data-severity')]>=rank[s])&&
          (!p||a.getAttribute('data-sender')===p)&&(!h||a.getAttribute('data-chat')===h);
        a.hidden=!ok;if(ok)n++;
      });
      document.getElementById('shown').textContent=n+' of '+hits.length+' hit messages shown';
      b.setAttribute('data-visible-hits',String(n));
    }
    var q=location.hash.replace(/^#/,'').split('&');
    q.forEach(function(kv){var i=kv.indexOf('=');if(i<0)return;var k=decodeURIComponent(kv.slice(0,i)),
      v=decodeURIComponent(kv.slice(i+1).replace(/\\+/g,' '));if(sel[k]){sel[k].value=v;}});
    Object.keys(sel).forEach(function(k){sel[k].addEventListener('change',apply);});
    f.addEventListener('reset',function(){setTimeout(apply,0);});
    b.classList.add('js');
    apply();
    b.setAttribute('data-filters-ready','1');
    }catch(e){b.setAttribute('data-filters-error',String(e&&e.message||e));}
    })();
    """
}
