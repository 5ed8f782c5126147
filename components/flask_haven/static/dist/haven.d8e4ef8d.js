;(function(){'use strict'
var modules=[]
function isSupported(){return'classList'in document.documentElement&&typeof document.querySelectorAll==='function'&&typeof Object.assign==='function'&&typeof window.addEventListener==='function'}
function register(name,factory,options){modules.push({name:name,factory:factory,requires:(options&&options.requires)||[]})}
function report(onError,error,name,element){onError=onError||haven.onError
if(typeof onError==='function')onError(error,{module:name,element:element})
else if(window.console)window.console.error(error)}
function initAll(scope,options){if(!isSupported())return
var onError=options&&options.onError
document.body.classList.add('haven-js-enabled')
var root=scope||document
modules.forEach(function(module){root.querySelectorAll('[data-module="'+module.name+'"]').forEach(function(element){if(element.hasAttribute('data-haven-init'))return
element.setAttribute('data-haven-init','')
try{module.requires.forEach(function(need){if(!haven[need])throw new Error(module.name+' requires haven.'+need)})
module.factory(element,haven)}catch(error){report(onError,error,module.name,element)}})})}
var COERCE={number:function(text,fallback){var n=parseFloat(text);return isNaN(n)?fallback:n},boolean:function(text){return text!=='false'},string:String}
function readConfig(element,schema){var config={}
Object.keys(schema).forEach(function(key){var type=schema[key][0]
var fallback=schema[key][1]
config[key]=key in element.dataset?COERCE[type](element.dataset[key],fallback):fallback})
return Object.freeze(config)}
var haven=window.haven=window.haven||{}
haven.register=register
haven.initAll=initAll
haven.readConfig=readConfig
Promise.resolve().then(function(){initAll()})})();(function(haven){'use strict'
var SCHEMA=Object.freeze({exitUrl:['string','https://www.bbc.co.uk/weather'],trigger:['string','escape'],statusText:['string',''],progressText:['string',''],clearUrl:['string',''],countUrl:['string',''],journey:['boolean',false],ignoreInFields:['boolean',false]})
var TRIGGERS=Object.freeze({escape:{key:'Escape',presses:1},'escape-twice':{key:'Escape',presses:2},'shift-thrice':{key:'Shift',presses:3},none:{presses:1}})
var PRESS_GAP_MS=3000
var ACTIVE_CLASS='haven-quick-exit-active'
var MARK_ON='haven-quick-exit__mark--on'
var NOT_TYPED_IN=/^(button|submit|reset|checkbox|radio|range|color|file|image)$/
function leaving(){return document.documentElement.classList.contains(ACTIVE_CLASS)}
function modalIsOpen(){var dialog
try{dialog=document.querySelector('dialog:modal')}catch(unsupported){dialog=document.querySelector('dialog[open]')}
return Boolean(dialog||document.querySelector('[aria-modal="true"]:not([hidden])'))}
function isTextField(el){return el.isContentEditable||el.tagName==='TEXTAREA'||(el.tagName==='INPUT'&&!NOT_TYPED_IN.test(el.type))}
function startQuickExit(root){var config=haven.readConfig(root,SCHEMA)
var trigger=TRIGGERS[config.trigger]||TRIGGERS.escape
var link=root.querySelector('a[href]')
var marks=root.querySelectorAll('.haven-quick-exit__mark')
var left=false
var presses=0
var timer
var status=document.createElement('div')
status.className='haven-quick-exit-status haven-visually-hidden'
status.setAttribute('role','status')
status.lang=(root.closest('[lang]')||document.documentElement).lang
document.body.appendChild(status)
function progress(count){presses=count
marks.forEach(function(mark,index){mark.classList.toggle(MARK_ON,index<count)})
status.textContent=count?config.progressText.replace('{n}',count):''}
function leave(){document.documentElement.classList.add(ACTIVE_CLASS)
if(left)return
left=true
status.textContent=config.statusText
window.location.replace(config.exitUrl)
if(config.clearUrl&&window.fetch){window.fetch(config.clearUrl,{method:'POST',keepalive:true,credentials:'same-origin'}).catch(function(){})}
if(config.countUrl&&navigator.sendBeacon)navigator.sendBeacon(config.countUrl)}
function isTriggerPress(event){return event.key===trigger.key&&!event.defaultPrevented&&!event.isComposing&&event.keyCode!==229&&!event.repeat&&!event.ctrlKey&&!event.altKey&&!event.metaKey&&!(config.ignoreInFields&&isTextField(event.target))&&!modalIsOpen()}
function onKeydown(event){if(left){if(event.key==='Escape'||event.key===trigger.key)event.preventDefault()
return}
if(!isTriggerPress(event)){if(event.key!==trigger.key&&presses)progress(0)
return}
clearTimeout(timer)
if(presses+1>=trigger.presses){event.preventDefault()
return leave()}
progress(presses+1)
timer=setTimeout(progress,PRESS_GAP_MS,0)}
window.addEventListener('keydown',onKeydown)
onKeydown({key:''})
modalIsOpen()
if(link){link.addEventListener('click',function(event){event.preventDefault()
leave()})}
window.addEventListener('pageshow',function(event){if(!event.persisted)return
left=false
clearTimeout(timer)
progress(0)
document.documentElement.classList.remove(ACTIVE_CLASS)})
if(config.journey&&!document.body.havenJourney)protectJourney()}
function protectJourney(){var sending=false
document.body.havenJourney=true
function go(url){if(!leaving())window.location.replace(url)}
document.addEventListener('click',function(event){var link=event.target.closest&&event.target.closest('a[href], area[href]')
if(!link||event.defaultPrevented||event.button||event.ctrlKey||event.metaKey||event.shiftKey||event.altKey||typeof link.href!=='string'||(link.target&&link.target!=='_self')||link.hasAttribute('download'))return
var url=new URL(link.href)
if(url.origin!==location.origin)return
event.preventDefault()
go(url.href)})
document.addEventListener('submit',function(event){var form=event.target
var button=event.submitter
function pick(name,fallback){return(button&&button.getAttribute('form'+name))||form.getAttribute(name)||fallback}
var action=new URL(pick('action',''),document.baseURI)
var method=pick('method','get').toLowerCase()
var target=pick('target','_self')
if(event.defaultPrevented||action.origin!==location.origin||target!=='_self'||method==='dialog')return
event.preventDefault()
var data=new FormData(form,button)
if(method!=='post'){action.search=new URLSearchParams(data)
return go(action.href)}
if(sending)return
sending=true
window.fetch(action,{method:'POST',body:/multipart/.test(pick('enctype',''))?data:new URLSearchParams(data),credentials:'same-origin',headers:{'Haven-Journey':'1'}}).then(function(response){var next=response.headers.get('Haven-Location')
if(next)return go(next)
return response.text().then(function(html){if(leaving())return
history.replaceState(null,'',response.url)
document.open()
document.write(html)
document.close()
var first=document.querySelector('[autofocus]')
if(first)first.focus()})},function(){form.submit()}).then(function(){sending=false})})}
haven.register('haven-quick-exit',startQuickExit)})(window.haven);(function(haven){'use strict'
var BLOCK='haven-error-notice'
function noticeIn(container){return container.querySelector(':scope > .'+BLOCK)}
function hide(notice){var back=notice.havenReturnFocus
var container=notice.parentNode
var hadFocus=notice.contains(document.activeElement)
container.removeChild(notice)
if(!hadFocus)return
if(!back||!back.isConnected||back===document.body){back=container
if(back.tabIndex<0)back.tabIndex=-1}
back.focus()}
function start(notice){var button=notice.querySelector('button')
if(!button)return
button.hidden=false
button.addEventListener('click',function(){hide(notice)})}
function add(notice,tag,part,text){if(!text)return
var node=notice.appendChild(document.createElement(tag))
node.className=BLOCK+'__'+part
node.textContent=text
return node}
haven.showError=function(container,options){options=options||{}
var key=JSON.stringify(options)
var notice=noticeIn(container)
if(notice&&notice.havenKey===key)return notice
if(notice)container.removeChild(notice)
notice=document.createElement('div')
notice.className=BLOCK
notice.setAttribute('role','alert')
add(notice,'h2','title',options.title)
var texts=document.body.dataset
add(notice,'p','text',options.text||texts.havenErrorText)
add(notice,'p','details',options.details)
var dismiss=options.dismissible!==false&&add(notice,'button','dismiss',texts.havenDismissText)
if(dismiss)dismiss.type='button'
notice.havenKey=key
notice.havenReturnFocus=document.activeElement
container.insertBefore(notice,container.firstChild)
start(notice)
return notice}
haven.hideError=function(container){var notice=noticeIn(container)
if(notice)hide(notice)}
haven.register('haven-error-notice',start)})(window.haven);(function(haven){'use strict'
var TIMEOUT_MS=10000
var allowed=(document.documentElement.getAttribute('data-haven-consent')||'').split(' ')
function allows(category){return category==='essential'||allowed.indexOf(category)>-1}
function runScripts(){document.querySelectorAll('script[type="text/plain"][data-haven-consent]').forEach(function(inert){var category=inert.getAttribute('data-haven-consent')
if(!allows(category))return
var script=document.createElement('script')
Array.prototype.forEach.call(inert.attributes,function(attr){if(attr.name!=='type'&&attr.name!=='data-src')script.setAttribute(attr.name,attr.value)})
if(inert.nonce)script.nonce=inert.nonce
script.async=inert.hasAttribute('async')
script.src=inert.getAttribute('data-src')
inert.parentNode.replaceChild(script,inert)})}
function toRegExp(pattern){return new RegExp('^'+pattern.replace(/[.+?^${}()|[\]\\]/g,'\\$&').replace(/\*/g,'.*')+'$')}
function clear(entries){var host=location.hostname.split('.')
var segments=location.pathname.split('/')
var seen=document.cookie.split(/; ?/).map(function(pair){return pair.split('=')[0]})
entries.forEach(function(entry){var test=toRegExp(entry.name)
var names=entry.name.indexOf('*')<0?[entry.name]:seen.filter(function(name){return test.test(name)})
var paths=entry.paths.concat(segments.map(function(_,i){return segments.slice(0,i+1).join('/')||'/'}))
var domains=[''].concat(entry.domains,host.map(function(_,i){return host.slice(i).join('.')}))
names.forEach(function(name){paths.forEach(function(path){domains.forEach(function(domain){document.cookie=name+'=;expires=Thu, 01 Jan 1970 00:00:00 GMT;path='+path+(domain&&';domain='+domain)})})})})}
function changed(data){allowed=Object.keys(data.choices||{}).filter(function(name){return data.choices[name]})
clear(data.clear||[])
runScripts()
document.dispatchEvent(new CustomEvent('haven:consent-change',{detail:{choices:data.choices}}))}
function send(form,button){var body=new FormData(form)
if(button&&button.name)body.append(button.name,button.value)
var controller=new AbortController()
var timer=setTimeout(function(){controller.abort()},TIMEOUT_MS)
function done(){clearTimeout(timer)}
return fetch(form.action,{method:'POST',body:body,credentials:'same-origin',headers:{Accept:'application/json','X-Requested-With':'fetch'},signal:controller.signal}).then(function(response){done()
if(!response.ok)throw response
return response.json()},function(error){done()
throw error})}
function startBanner(root){var question=root.querySelector('.haven-cookie-banner__question')
var confirmation=root.querySelector('[data-haven-confirmation]')
var form=question.querySelector('form')
var busy=false
form.addEventListener('submit',function(event){event.preventDefault()
if(busy)return
busy=true
send(form,event.submitter||document.activeElement).then(function(data){question.hidden=true
var said=confirmation.querySelector('[data-haven-outcome="'+data.outcome+'"]')
if(said)said.hidden=false
confirmation.hidden=false
confirmation.focus()
changed(data)},function(){haven.showError(root.querySelector('[data-haven-error]'),{dismissible:false})}).then(function(){busy=false})})
confirmation.querySelector('form').addEventListener('submit',function(event){event.preventDefault()
root.hidden=true
var main=document.getElementById('main-content')
if(main)main.focus()})
document.addEventListener('haven:consent-change',function(){if(!question.hidden)root.hidden=true})}
haven.consent={allows:allows,send:send,changed:changed}
haven.register('haven-cookie-banner',startBanner,{requires:['showError']})
runScripts()})(window.haven);(function(haven){'use strict'
function startSettings(root){var form=root.querySelector('.haven-cookie-settings__form')
var objection=root.querySelector('.haven-cookie-settings__objection')
var messages=document.getElementById(root.getAttribute('data-messages'))||root
var success=messages.querySelector('[data-haven-success]')
var busy=false
if(messages.querySelector('[data-module="haven-error-summary"]'))return
function submit(event){event.preventDefault()
if(busy)return
busy=true
success.hidden=true
haven.consent.send(event.target,event.submitter).then(function(data){messages.querySelector('[data-haven-error]').innerHTML=''
var receipt=root.querySelector('[data-haven-receipt]')
if(receipt&&data.receipt)receipt.outerHTML=data.receipt
var objected=event.submitter&&event.submitter.value
if(objected){event.submitter.hidden=true
form.elements[objected][1].checked=true}
success.hidden=false
success.focus()
haven.consent.changed(data)},function(error){if(error&&error.status===400)return event.target.submit()
haven.showError(messages.querySelector('[data-haven-error]'),{dismissible:false})}).then(function(){busy=false})}
form.addEventListener('submit',submit)
if(objection)objection.addEventListener('submit',submit)}
haven.register('haven-cookie-settings',startSettings,{requires:['consent','showError']})})(window.haven);(function(haven){'use strict'
function start(summary){summary.addEventListener('click',function(event){var target=document.getElementById((event.target.hash||'').slice(1))
if(!target)return
var group=target.closest('fieldset')
var input=target===group?target.querySelector('input'):target
if(!input)return
event.preventDefault();((/radio|checkbox/.test(input.type)&&group)||(input.labels||[])[0]||input).scrollIntoView()
input.focus({preventScroll:true})})}
haven.register('haven-error-summary',start)})(window.haven);(function(haven){'use strict'
var SCHEMA=Object.freeze({maxLength:['number',1200],leftText:['string','{n}'],overText:['string','-{n}']})
haven.register('haven-feedback-form',function(root){var config=haven.readConfig(root,SCHEMA)
var field=root.querySelector('textarea')
var shown=root.querySelector('[data-haven-count]')
var spoken=root.querySelector('[data-haven-count-spoken]')
var timer
if(!field||!shown||!spoken)return
var lang=(root.closest('[lang]')||document.documentElement).lang||undefined
function update(){var left=config.maxLength-Array.from(field.value).length
shown.className='haven-feedback-form__count '+(left<0?'haven-error-message':'haven-hint')
shown.textContent=(left<0?config.overText:config.leftText).replace('{n}',Math.abs(left).toLocaleString(lang))}
update()
field.addEventListener('input',function(){update()
clearTimeout(timer)
timer=setTimeout(function(){spoken.textContent=shown.textContent},1000)})})})(window.haven)